using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Tracker.Sdk.Contracts;

namespace Tracker.Sdk.Client;

public sealed partial class TrackerClient
{
    /// <summary>GET /api/v1/runs/{id}/artifacts.</summary>
    public Task<ArtifactList> ListArtifactsAsync(string runId, CancellationToken cancellationToken = default) =>
        GetAsync($"api/v1/runs/{Uri.EscapeDataString(runId)}/artifacts", Json.ArtifactList, cancellationToken);

    /// <summary>PUT /api/v1/runs/{id}/artifacts/{path}: uploads <paramref name="content"/> as it is read (never buffered whole);
    /// <paramref name="sha256"/> (hex), when given, is verified by the server.</summary>
    public async Task<ArtifactDto> PutArtifactAsync(
        string runId,
        string path,
        Stream content,
        long? step = null,
        string? kind = null,
        string? sha256 = null,
        CancellationToken cancellationToken = default
    )
    {
        ArgumentNullException.ThrowIfNull(content);
        var url = ArtifactUrl(runId, path);
        var query = new List<string>(2);
        if (step is { } s)
            query.Add("step=" + s.ToString(CultureInfo.InvariantCulture));
        if (kind is not null)
            query.Add("kind=" + Uri.EscapeDataString(kind));
        if (query.Count > 0)
            url += "?" + string.Join('&', query);
        using var body = new StreamContent(content, 1 << 20);
        body.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        if (content.CanSeek)
            body.Headers.ContentLength = content.Length - content.Position;
        using var request = new HttpRequestMessage(HttpMethod.Put, new Uri(url, UriKind.Relative)) { Content = body };
        if (sha256 is not null)
            request.Headers.Add("X-Checksum-Sha256", sha256);
        using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
        return (await response.Content.ReadFromJsonAsync(Json.ArtifactDto, cancellationToken).ConfigureAwait(false))!;
    }

    /// <summary>GET /api/v1/runs/{id}/artifacts/{path}: the bytes as a stream read from the network (dispose it).</summary>
    public async Task<Stream> OpenArtifactAsync(string runId, string path, CancellationToken cancellationToken = default)
    {
        var response = await http.GetAsync(new Uri(ArtifactUrl(runId, path), UriKind.Relative), HttpCompletionOption.ResponseHeadersRead, cancellationToken)
            .ConfigureAwait(false);
        try
        {
            await EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
            return await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    /// <summary>Downloads an artifact to <paramref name="destination"/> (written to a temporary name, then renamed).</summary>
    public async Task DownloadArtifactAsync(string runId, string path, string destination, CancellationToken cancellationToken = default)
    {
        var partial = destination + ".part";
        await using (var source = await OpenArtifactAsync(runId, path, cancellationToken).ConfigureAwait(false))
        await using (var target = new FileStream(partial, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20))
        {
            await source.CopyToAsync(target, 1 << 20, cancellationToken).ConfigureAwait(false);
        }
        File.Move(partial, destination, overwrite: true);
    }

    /// <summary>DELETE /api/v1/runs/{id}/artifacts/{path}.</summary>
    public async Task DeleteArtifactAsync(string runId, string path, CancellationToken cancellationToken = default)
    {
        using var response = await http.DeleteAsync(new Uri(ArtifactUrl(runId, path), UriKind.Relative), cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>GET /api/v1/runs/{id}/checkpoints/best: the checkpoint to restore, or null when the run has none with a value yet.</summary>
    public async Task<ArtifactDto?> GetBestCheckpointAsync(string runId, CancellationToken cancellationToken = default)
    {
        using var response = await http.GetAsync(new Uri($"api/v1/runs/{Uri.EscapeDataString(runId)}/checkpoints/best", UriKind.Relative), cancellationToken)
            .ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
            return null;
        await EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
        return await response.Content.ReadFromJsonAsync(Json.ArtifactDto, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The route of an artifact; each path segment is escaped, the separators kept.</summary>
    private static string ArtifactUrl(string runId, string path) =>
        $"api/v1/runs/{Uri.EscapeDataString(runId)}/artifacts/{string.Join('/', path.Split('/').Select(Uri.EscapeDataString))}";
}
