using System.Net;
using Tracker.Sdk.Client;
using Tracker.Sdk.Contracts;

namespace Tracker.Sdk.Internal;

/// <summary>Creates or resumes a run on the server with W&amp;B's resume semantics.</summary>
internal static class RunLifecycle
{
    /// <summary>Makes the run exist and be running; returns it.</summary>
    /// <param name="client">The client to use.</param>
    /// <param name="header">The run's identity and creation body.</param>
    /// <param name="deferred">True when the run was started while the server was unreachable: an existing run is then ours and is resumed.</param>
    /// <param name="generatedId">True when this process generated the run's id (random, 62 bits): nobody else can have created
    /// a run with it, so a 409 to the create means an earlier attempt of ours was stored though its answer was lost (a retry
    /// after a timeout), and the run is taken as created.</param>
    /// <param name="cancellationToken">Cancels the calls.</param>
    /// <exception cref="InvalidOperationException">The resume mode forbids what the server holds.</exception>
    public static async Task<RunDto> EnsureAsync(TrackerClient client, SpoolHeader header, bool deferred, bool generatedId, CancellationToken cancellationToken)
    {
        if (header.Resume == ResumeMode.Never && !deferred)
        {
            try
            {
                return await client.CreateRunAsync(header.Project, header.Create, cancellationToken).ConfigureAwait(false);
            }
            catch (TrackerApiException e) when (e.StatusCode == HttpStatusCode.Conflict && generatedId)
            {
                // The retrying client timed out (or lost the connection) after the server stored the run; the retry met our own run.
                return await ResumeAsync(client, await GetCreatedAsync(client, header.RunId, e, cancellationToken).ConfigureAwait(false), cancellationToken)
                    .ConfigureAwait(false);
            }
            catch (TrackerApiException e) when (e.StatusCode == HttpStatusCode.Conflict)
            {
                throw new InvalidOperationException(
                    $"Run '{header.RunId}' already exists; start it with Resume = ResumeMode.Allow or ResumeMode.Must to continue it.",
                    e
                );
            }
        }

        var existing = await FindAsync(client, header.RunId, cancellationToken).ConfigureAwait(false);
        if (existing is null)
        {
            if (header.Resume == ResumeMode.Must && !deferred)
            {
                throw new InvalidOperationException($"Run '{header.RunId}' does not exist and Resume = ResumeMode.Must.");
            }
            try
            {
                return await client.CreateRunAsync(header.Project, header.Create, cancellationToken).ConfigureAwait(false);
            }
            catch (TrackerApiException e) when (e.StatusCode == HttpStatusCode.Conflict)
            {
                existing = await GetCreatedAsync(client, header.RunId, e, cancellationToken).ConfigureAwait(false);
            }
        }
        return await ResumeAsync(client, existing, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The run a create was refused for (409); a 409 followed by a 404 is a race or a server fault, not a refusal:
    /// it is reported as a transient failure (5xx) so that the caller's retry policy tries again instead of giving up on the run.</summary>
    private static async Task<RunDto> GetCreatedAsync(TrackerClient client, string runId, TrackerApiException conflict, CancellationToken cancellationToken) =>
        await FindAsync(client, runId, cancellationToken).ConfigureAwait(false)
        ?? throw new TrackerApiException(
            HttpStatusCode.ServiceUnavailable,
            "Conflict without a run",
            $"The server answered 409 to creating run '{runId}' ({conflict.Detail}) but does not know the run; trying again."
        );

    /// <summary>Sets an ended run back to running.</summary>
    public static async Task<RunDto> ResumeAsync(TrackerClient client, RunDto run, CancellationToken cancellationToken) =>
        run.State == RunState.Running
            ? run
            : await client.UpdateRunAsync(run.Id, new UpdateRunRequest(State: RunState.Running), cancellationToken).ConfigureAwait(false);

    /// <summary>The run, or null when the server does not know it.</summary>
    public static async Task<RunDto?> FindAsync(TrackerClient client, string runId, CancellationToken cancellationToken)
    {
        try
        {
            return await client.GetRunAsync(runId, cancellationToken).ConfigureAwait(false);
        }
        catch (TrackerApiException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>After a 409 to an ingest, resumes the run when the server marked it crashed (a long outage); true when it is running again.</summary>
    /// <remarks>A run found running was resumed between the 409 and this read (by the heartbeat on the other send loop, which
    /// met the crashed state first): the batch is sent again, not parked.</remarks>
    public static async Task<bool> TryResumeCrashedAsync(
        RunServer server,
        string runId,
        RunWarnings warnings,
        TrackerApiException? conflict,
        CancellationToken cancellationToken
    )
    {
        try
        {
            var run = await server.Client.GetRunAsync(runId, cancellationToken).ConfigureAwait(false);
            if (run.State == RunState.Running)
                return true;
            if (run.State != RunState.Crashed)
                return false;
            await ResumeAsync(server.Client, run, cancellationToken).ConfigureAwait(false);
            warnings.Warn($"run {runId} had been marked crashed by the server; resumed it ({conflict?.Detail})");
            return true;
        }
        catch (Exception e) when (RunServer.IsTransient(e, cancellationToken) || e is TrackerApiException)
        {
            return false;
        }
    }
}
