using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Tracker.Bench.Ingest;

/// <summary>MLflow's <c>runs/log-batch</c> with 1,000 metrics, end to end over HTTP: p50 and p95 of 100 calls after 10 warm-ups.</summary>
internal static class MlflowLogBatch
{
    public static async Task<(double P50, double P95)> MeasureAsync(HttpClient http)
    {
        var experiment = await PostAsync(http, "experiments/create", """{"name": "bench-log-batch"}""");
        var created = await PostAsync(
            http,
            "runs/create",
            $$"""{"experiment_id": "{{experiment.GetProperty("experiment_id").GetString()}}", "run_name": "log-batch"}"""
        );
        var runId = created.GetProperty("run").GetProperty("info").GetProperty("run_id").GetString();
        var times = new List<double>();
        for (var call = 0; call < 110; call++)
        {
            var sb = new StringBuilder(80_000).Append(CultureInfo.InvariantCulture, $$"""{"run_id":"{{runId}}","metrics":[""");
            for (var i = 0; i < 1000; i++)
            {
                if (i > 0)
                    sb.Append(',');
                var step = call * 100 + i / 10;
                sb.Append(
                    CultureInfo.InvariantCulture,
                    $$"""{"key":"m{{i % 10}}","value":{{Math.Sin(step):R}},"timestamp":{{1_700_000_000_000 + step}},"step":{{step}}}"""
                );
            }
            var body = sb.Append("]}").ToString();
            var sw = Stopwatch.StartNew();
            await PostAsync(http, "runs/log-batch", body);
            if (call >= 10)
                times.Add(sw.Elapsed.TotalMilliseconds);
        }
        times.Sort();
        return (times[times.Count / 2], times[(int)(times.Count * 0.95)]);
    }

    private static async Task<JsonElement> PostAsync(HttpClient http, string path, string json)
    {
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        using var response = await http.PostAsync(new Uri($"api/2.0/mlflow/{path}", UriKind.Relative), content);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"{path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }
}
