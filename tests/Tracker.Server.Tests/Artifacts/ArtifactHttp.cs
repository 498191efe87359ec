using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using Tracker.Sdk.Contracts;

namespace Tracker.Server.Tests.Artifacts;

/// <summary>The artifact routes spoken in raw HTTP, as any client would.</summary>
internal static class ArtifactHttp
{
    public static string Url(string runId, string path) => $"api/v1/runs/{runId}/artifacts/{path}";

    public static async Task<HttpResponseMessage> PutAsync(HttpClient http, string runId, string path, byte[] body, string? query = null, string? sha256 = null)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var request = new HttpRequestMessage(HttpMethod.Put, Url(runId, path) + (query is null ? "" : "?" + query)) { Content = content };
        if (sha256 is not null)
            request.Headers.Add("X-Checksum-Sha256", sha256);
        return await http.SendAsync(request);
    }

    public static async Task<ArtifactDto> PutOkAsync(HttpClient http, string runId, string path, byte[] body, string? query = null)
    {
        using var response = await PutAsync(http, runId, path, body, query, Convert.ToHexStringLower(SHA256.HashData(body)));
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync(TrackerJsonContext.Default.ArtifactDto))!;
    }

    public static async Task<ArtifactList> ListAsync(HttpClient http, string runId) =>
        (await http.GetFromJsonAsync($"api/v1/runs/{runId}/artifacts", TrackerJsonContext.Default.ArtifactList))!;

    public static byte[] RandomBytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }
}
