using System.Net;
using System.Net.Http.Headers;
using Tracker.Sdk.Client;
using Tracker.Sdk.Contracts;

namespace Tracker.Client.Services;

/// <summary>The dashboard's door to the REST API: the SDK's <see cref="TrackerClient"/> with this browser's key as Bearer.</summary>
public sealed class TrackerApi(ApiKeyStore keys, Uri baseAddress)
{
    private TrackerClient? _client;
    private string? _clientKey;
    private Task<KeyIdentityDto?>? _identity;

    /// <summary>True once a key is stored.</summary>
    public async ValueTask<bool> IsSignedInAsync() => await keys.GetAsync() is not null;

    /// <summary>The typed client; throws <see cref="NotSignedInException"/> when no key is stored.</summary>
    public async ValueTask<TrackerClient> ClientAsync()
    {
        var key = await keys.GetAsync() ?? throw new NotSignedInException();
        if (_client is null || _clientKey != key)
        {
            var http = new HttpClient { BaseAddress = baseAddress };
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
            _client = new TrackerClient(http);
            _clientKey = key;
            _identity = null;
        }
        return _client;
    }

    /// <summary>What the key may do (<c>GET /api/v1/me</c>), asked once per key.</summary>
    public async Task<KeyIdentityDto?> IdentityAsync()
    {
        var client = await ClientAsync();
        _identity ??= LoadIdentityAsync(client);
        return await _identity;
    }

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
