using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using Tracker.Sdk.Client;
using Tracker.Sdk.Contracts;

namespace Tracker.Bench.Ingest;

/// <summary>Pre-serialized ingest bodies (so the client's JSON cost is not in the server's figure) and the code that posts them.</summary>
internal static class Workload
{
    private static readonly string[] Keys = ["loss", "val_loss", "lr", "grad_norm/total"];

    /// <summary>Batches of <paramref name="batchSize"/> points cycling over four series, steps continuing across batches.</summary>
    public static List<byte[]> Bodies(long firstStep, int points, int batchSize, int keys = 4, long firstSeq = 0)
    {
        var bodies = new List<byte[]>();
        var sb = new StringBuilder(batchSize * 64);
        var step = firstStep;
        var time = 1_700_000_000_000L;
        for (var done = 0; done < points; done += batchSize)
        {
            var n = Math.Min(batchSize, points - done);
            sb.Clear().Append(CultureInfo.InvariantCulture, $"{{\"seq\":{firstSeq + bodies.Count},\"points\":[");
            for (var i = 0; i < n; i++)
            {
                var key = Keys[i % keys];
                if (i > 0)
                    sb.Append(',');
                sb.Append(
                    CultureInfo.InvariantCulture,
                    $"{{\"key\":\"{key}\",\"step\":{step},\"value\":{Math.Exp(-step / 1e5) + (i % 7) * 1e-3:R},\"time\":{time + step}}}"
                );
                if (i % keys == keys - 1)
                    step++;
            }
            if (n % keys != 0)
                step++;
            sb.Append("]}");
            bodies.Add(Encoding.UTF8.GetBytes(sb.ToString()));
        }
        return bodies;
    }

    public static HttpClient Http(Uri baseAddress, string key)
    {
        var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 64 }) { BaseAddress = baseAddress, Timeout = TimeSpan.FromMinutes(5) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return http;
    }

    public static async Task<string> NewRunAsync(HttpClient http, string project, string name) =>
        (await new TrackerClient(http).CreateRunAsync(project, new CreateRunRequest(Name: name))).Id;

    public static async Task<int> VerdictEventsAsync(HttpClient http, string runId)
    {
        var list = await new TrackerClient(http).ListEventsAsync(runId);
        return list.Events.Count(e => e.Kind == "verdict");
    }

    public static async Task PostAllAsync(HttpClient http, string runId, IEnumerable<byte[]> bodies)
    {
        foreach (var body in bodies)
        {
            using var content = new ByteArrayContent(body);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            using var response = await http.PostAsync(new Uri($"api/v1/runs/{runId}/metrics", UriKind.Relative), content);
            if (!response.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"ingest failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            }
        }
    }
}
