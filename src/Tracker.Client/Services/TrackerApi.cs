using System.Net;
using Tracker.Sdk.Client;
using Tracker.Sdk.Contracts;

namespace Tracker.Client.Services;

/// <summary>The dashboard's door to the REST API: the SDK's <see cref="TrackerClient"/> at the page's
/// <see cref="DashboardEndpoint"/>, authenticated by the browser's session cookie (HttpOnly: the key never reaches the page;
/// the browser's fetch sends the cookie, and a server circuit forwards it).</summary>
public sealed class TrackerApi(DashboardEndpoint endpoint)
{
    private readonly TrackerClient _client = new(endpoint.CreateHttpClient());

    /// <summary>The API of the page's own origin (the browser sends its session cookie).</summary>
    public TrackerApi(Uri baseAddress)
        : this(new DashboardEndpoint(baseAddress)) { }

    private Task<KeyIdentityDto?>? _identity;

    /// <summary>True when the browser has a session (<c>GET /api/v1/me</c> answers), asked once per page load.</summary>
    public async ValueTask<bool> IsSignedInAsync() => await IdentityAsync() is not null;

    /// <summary>The typed client (a request answers 401 once the session has ended).</summary>
    public ValueTask<TrackerClient> ClientAsync() => ValueTask.FromResult(_client);

    /// <summary>What the session's key may do (<c>GET /api/v1/me</c>), asked once; null when not signed in.</summary>
    public Task<KeyIdentityDto?> IdentityAsync() => _identity ??= LoadIdentityAsync(_client);

    /// <summary>True when the key may launch, edit and delete (write or admin scope).</summary>
    public async Task<bool> CanWriteAsync() => (await IdentityAsync())?.Scope is ApiKeyScope.Write or ApiKeyScope.Admin;

    /// <summary><c>GET /api/v1/runs/{id}/analysis</c>; null when the server has no analysis for the run (404).</summary>
    public async Task<RunAnalysis?> AnalysisAsync(string runId, CancellationToken cancellationToken = default)
    {
        var client = await ClientAsync();
        try
        {
            return RunAnalysis.From(await client.GetRunAnalysisAsync(runId, cancellationToken));
        }
        catch (TrackerApiException e) when (e.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed)
        {
            return null;
        }
    }

    private static async Task<KeyIdentityDto?> LoadIdentityAsync(TrackerClient client)
    {
        try
        {
            return await client.WhoAmIAsync();
        }
        catch (TrackerApiException)
        {
            return null;
        }
    }
}
