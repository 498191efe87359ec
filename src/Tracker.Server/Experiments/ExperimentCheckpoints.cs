using System.Buffers.Binary;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Tracker.Server.Artifacts;
using Tracker.Server.Storage;

namespace Tracker.Server.Experiments;

/// <summary>Saves a hosted experiment's parameters as a checkpoint of its run, through the same store path as an upload
/// (<see cref="ArtifactUpload.StoreAsync"/>: limits, staging, blob, row, retention pass): the file
/// <c>checkpoints/step-{step:D8}.ckpt</c> (kind <c>checkpoint</c>) holds the parameter vector as little-endian float64,
/// 8 × the problem's dimension bytes.</summary>
internal sealed partial class ExperimentCheckpoints(
    IServiceScopeFactory scopes,
    ArtifactBlobs blobs,
    CheckpointRetention retention,
    TimeProvider time,
    ILogger<ExperimentCheckpoints> logger
)
{
    /// <summary>The monitor and mode checkpoints of <paramref name="runId"/> are ranked by (null when the run is gone).</summary>
    public Task<(string Monitor, Tracker.Analysis.Convergence.MetricMode Mode)?> MonitorAsync(string runId, CancellationToken cancellationToken) =>
        retention.MonitorAsync(runId, cancellationToken);

    /// <summary>The checkpoint file's bytes: <paramref name="parameters"/> as little-endian float64.</summary>
    public static byte[] Encode(ReadOnlySpan<double> parameters)
    {
        var bytes = new byte[parameters.Length * sizeof(double)];
        for (var i = 0; i < parameters.Length; i++)
            BinaryPrimitives.WriteDoubleLittleEndian(bytes.AsSpan(i * sizeof(double)), parameters[i]);
        return bytes;
    }

    /// <summary>Stores <paramref name="parameters"/> as the checkpoint of <paramref name="step"/>; a failure is logged, not
    /// thrown (the experiment's outcome does not depend on it). Returns whether it was stored.</summary>
    public async Task<bool> SaveAsync(string runId, long step, double[] parameters, CancellationToken cancellationToken)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<TrackerDbContext>();
            var projectId = await db.Runs.Where(r => r.Id == runId).Select(r => (long?)r.ProjectId).FirstOrDefaultAsync(cancellationToken);
            if (projectId is null)
                return false; // deleted meanwhile
            var path = string.Create(CultureInfo.InvariantCulture, $"checkpoints/step-{step:D8}.ckpt");
            var upload = new ArtifactUploadRequest(path, step, CheckpointRetention.Kind, null, "application/octet-stream");
            var bytes = Encode(parameters);
            using var body = new MemoryStream(bytes, writable: false);
            var stored = await ArtifactUpload.StoreAsync(db, blobs, retention, time, projectId.Value, runId, upload, body, bytes.Length, cancellationToken);
            if (stored.Row is null)
            {
                LogRefused(logger, runId, stored.Problem?.ProblemDetails.Detail ?? stored.Invalid?.ProblemDetails.Detail);
                return false;
            }
            return true;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogFailed(logger, e, runId);
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Experiment run {RunId}: its checkpoint was refused: {Reason}")]
    private static partial void LogRefused(ILogger logger, string runId, string? reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Experiment run {RunId}: saving its checkpoint failed")]
    private static partial void LogFailed(ILogger logger, Exception exception, string runId);
}
