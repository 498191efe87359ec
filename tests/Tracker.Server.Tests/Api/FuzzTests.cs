using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Tracker.Sdk.Contracts;
using Tracker.TestSupport;
using Xunit.Abstractions;

namespace Tracker.Server.Tests.Api;

/// <summary>10,000 mutated v1 and MLflow requests (seeded) against the real server: no 5xx, the server still answers,
/// and the data stored before (in a project the templates never name) reads back byte for byte the same.</summary>
public abstract class FuzzTests(StoreKind kind, ITestOutputHelper output)
{
    private const int Requests = 10_000;
    private const int Workers = 4;
    private const int Seed = 20261202;

    [Fact]
    public async Task Ten_thousand_mutated_requests_cause_no_5xx_and_change_no_stored_data()
    {
        await using var server = TrackerServer.Start(
            kind,
            new Dictionary<string, string?> { ["Tracker:RateLimits:Enabled"] = "false", ["Tracker:Experiments:Concurrency"] = "1" }
        );
        using var http = server.CreateHttpClient();
        var client = server.CreateClient();

        // Kept data: a finished run with config, tags, notes and points, read through v1 and MLflow.
        var kept = await client.CreateRunAsync(
            "kept",
            new CreateRunRequest(
                Name: "kept-run",
                Tags: ["keep"],
                Notes: "do not touch",
                Config: JsonDocument.Parse("{\"lr\":0.01,\"layers\":[64,64]}").RootElement
            )
        );
        await client.LogMetricsAsync(
            kept.Id,
            Points.Batch(1, [.. Points.Series("loss", 0, 200, s => 1.0 / (s + 1)), .. Points.Series("acc", 0, 200, s => s / 200.0)])
        );
        await client.UpdateRunAsync(kept.Id, new UpdateRunRequest(State: RunState.Finished));
        string[] keptUrls =
        [
            $"api/v1/runs/{kept.Id}",
            $"api/v1/runs/{kept.Id}/metrics",
            $"api/v1/runs/{kept.Id}/metrics/loss?limit=1000",
            $"api/v1/runs/{kept.Id}/metrics/acc?maxPoints=50",
            $"api/v1/runs/{kept.Id}/events",
            $"api/v1/runs/{kept.Id}/export.csv",
            $"api/2.0/mlflow/runs/get?run_id={kept.Id}",
        ];
        await Task.Delay(500); // analysis of the finished run settles
        var before = await SnapshotAsync(http, keptUrls);

        var templates = await TemplatesAsync(http, client);
        var failures = new List<string>();
        var statuses = new int[600];
        var clock = Stopwatch.StartNew();
        using var fuzz = new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        await Task.WhenAll(
            Enumerable
                .Range(0, Workers)
                .Select(w =>
                    Task.Run(async () =>
                    {
                        var random = new Random(Seed + w);
                        var mutator = new FuzzMutator(random, TrackerServer.AdminKey);
                        for (var i = 0; i < Requests / Workers; i++)
                        {
                            var template = templates[random.Next(templates.Count)];
                            if (template.Body is { } b && b.Contains("{seq}", StringComparison.Ordinal))
                                template = template with { Body = b.Replace("{seq}", mutator.Seq(), StringComparison.Ordinal) };
                            using var request = mutator.Mutate(template);
                            var description = $"{request.Method} {request.RequestUri}";
                            try
                            {
                                using var response = await fuzz.SendAsync(request);
                                await response.Content.ReadAsByteArrayAsync();
                                Interlocked.Increment(ref statuses[Math.Min((int)response.StatusCode, 599)]);
                                if ((int)response.StatusCode >= 500)
                                {
                                    var sent = request.Content is { } content ? await content.ReadAsStringAsync() : null;
                                    lock (failures)
                                        failures.Add($"{(int)response.StatusCode} {description} body={Shorten(sent)}");
                                }
                            }
                            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                            {
                                lock (failures)
                                    failures.Add($"{e.GetType().Name} {description}: {e.Message}");
                            }
                        }
                    })
                )
        );
        var elapsed = clock.Elapsed;
        output.WriteLine(
            $"{Requests} mutated requests on {kind} in {elapsed.TotalSeconds:F1} s ({Requests / elapsed.TotalSeconds:F0}/s); "
                + string.Join(", ", statuses.Select((n, s) => (n, s)).Where(x => x.n > 0).Select(x => $"{x.s}: {x.n}"))
        );

        Assert.True(failures.Count == 0, $"{failures.Count} failures, first: {string.Join(Environment.NewLine, failures.Take(15))}");
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri("healthz", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri("readyz", UriKind.Relative))).StatusCode);
        var after = await SnapshotAsync(http, keptUrls);
        for (var i = 0; i < keptUrls.Length; i++)
            Assert.True(before[i] == after[i], $"{keptUrls[i]} changed:\n{before[i]}\n{after[i]}");
    }

    private static async Task<string[]> SnapshotAsync(HttpClient http, string[] urls)
    {
        var bodies = new string[urls.Length];
        for (var i = 0; i < urls.Length; i++)
        {
            using var response = await http.GetAsync(new Uri(urls[i], UriKind.Relative));
            response.EnsureSuccessStatusCode();
            bodies[i] = await response.Content.ReadAsStringAsync();
        }
        return bodies;
    }

    private static string Shorten(string? s) =>
        s is null ? "-"
        : s.Length > 200 ? s[..200] + "…"
        : s;

    /// <summary>Valid requests over a scratch project (v1) and a scratch MLflow experiment, with their ids filled in.</summary>
    private static async Task<List<FuzzTemplate>> TemplatesAsync(HttpClient http, Tracker.Sdk.Client.TrackerClient client)
    {
        var run = (await client.CreateRunAsync("fuzz", new CreateRunRequest(Tags: ["t"]))).Id;
        using var created = await http.PostAsync(
            new Uri("api/2.0/mlflow/experiments/create", UriKind.Relative),
            new StringContent("{\"name\":\"fuzz-mlflow\"}", Encoding.UTF8, "application/json")
        );
        var experiment = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("experiment_id").GetString()!;
        using var runCreated = await http.PostAsync(
            new Uri("api/2.0/mlflow/runs/create", UriKind.Relative),
            new StringContent($"{{\"experiment_id\":\"{experiment}\",\"run_name\":\"m\",\"start_time\":1}}", Encoding.UTF8, "application/json")
        );
        var mlflowRun = (await runCreated.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("run").GetProperty("info").GetProperty("run_id").GetString()!;
        Dictionary<string, string> None() => [];
        Dictionary<string, string> Q(params (string, string)[] pairs) => pairs.ToDictionary(p => p.Item1, p => p.Item2);
        List<FuzzTemplate> templates =
        [
            new("GET", "api/v1/projects", None()),
            new("GET", "api/v1/projects/fuzz", None()),
            new("POST", "api/v1/projects", None(), "{\"name\":\"fuzz-x\",\"description\":\"d\"}"),
            new("PATCH", "api/v1/projects/fuzz", None(), "{\"description\":\"d\",\"analysisDefaults\":{}}"),
            new(
                "GET",
                "api/v1/projects/fuzz/runs",
                Q(("state", "running"), ("tag", "t"), ("limit", "10"), ("sort", "createdAt"), ("order", "desc"), ("updatedSince", "2026-01-01T00:00:00Z"))
            ),
            new(
                "POST",
                "api/v1/projects/fuzz/runs",
                None(),
                "{\"name\":\"n\",\"tags\":[\"t\"],\"config\":{\"lr\":0.1,\"nested\":{\"a\":[1,2]}},\"notes\":\"x\",\"group\":\"g\"}"
            ),
            new("GET", $"api/v1/runs/{run}", None()),
            new("PATCH", $"api/v1/runs/{run}", None(), "{\"name\":\"n2\",\"tags\":[\"a\"],\"notes\":\"n\",\"state\":\"running\"}"),
            new("GET", $"api/v1/runs/{run}/events", None()),
            new(
                "POST",
                $"api/v1/runs/{run}/metrics",
                None(),
                "{\"seq\":{seq},\"points\":[{\"key\":\"loss\",\"step\":1,\"value\":0.5,\"time\":1700000000000},{\"key\":\"acc\",\"step\":2,\"value\":\"NaN\"}]}"
            ),
            new("GET", $"api/v1/runs/{run}/metrics", None()),
            new("GET", $"api/v1/runs/{run}/metrics/loss", Q(("maxPoints", "100"), ("fromStep", "0"), ("toStep", "50"))),
            new("GET", $"api/v1/runs/{run}/metrics/loss", Q(("limit", "10"), ("cursor", ""))),
            new("GET", $"api/v1/runs/{run}/export.csv", None()),
            new("GET", $"api/v1/runs/{run}/analysis", None()),
            new("GET", "api/v1/projects/fuzz/analysis", None()),
            new("GET", "api/v1/me", None()),
            new("GET", "api/v1/keys", None()),
            new("POST", "api/v1/keys", None(), "{\"scope\":\"read\",\"project\":\"fuzz\",\"name\":\"k\"}"),
            new("GET", "api/v1/experiments/catalog", None()),
            new("POST", "api/2.0/mlflow/experiments/create", None(), "{\"name\":\"fz\",\"tags\":[{\"key\":\"k\",\"value\":\"v\"}]}"),
            new("GET", "api/2.0/mlflow/experiments/get", Q(("experiment_id", experiment))),
            new("GET", "api/2.0/mlflow/experiments/get-by-name", Q(("experiment_name", "fuzz-mlflow"))),
            new("POST", "api/2.0/mlflow/experiments/search", None(), "{\"max_results\":10,\"filter\":\"name LIKE 'f%'\",\"order_by\":[\"name ASC\"]}"),
            new(
                "POST",
                "ajax-api/2.0/mlflow/runs/create",
                None(),
                $"{{\"experiment_id\":\"{experiment}\",\"run_name\":\"r\",\"start_time\":1,\"tags\":[{{\"key\":\"k\",\"value\":\"v\"}}]}}"
            ),
            new("GET", "api/2.0/mlflow/runs/get", Q(("run_id", mlflowRun))),
            new("POST", "api/2.0/mlflow/runs/update", None(), $"{{\"run_id\":\"{mlflowRun}\",\"status\":\"RUNNING\",\"run_name\":\"m2\"}}"),
            new(
                "POST",
                "api/2.0/mlflow/runs/search",
                None(),
                $"{{\"experiment_ids\":[\"{experiment}\"],\"filter\":\"metrics.loss < 1 and params.p = '1'\",\"max_results\":5,\"order_by\":[\"metrics.loss DESC\"],\"page_token\":\"\"}}"
            ),
            new("POST", "api/2.0/mlflow/runs/log-metric", None(), $"{{\"run_id\":\"{mlflowRun}\",\"key\":\"loss\",\"value\":0.5,\"timestamp\":1,\"step\":1}}"),
            new(
                "POST",
                "api/2.0/mlflow/runs/log-batch",
                None(),
                $"{{\"run_id\":\"{mlflowRun}\",\"metrics\":[{{\"key\":\"loss\",\"value\":0.4,\"timestamp\":2,\"step\":2}}],\"params\":[{{\"key\":\"p\",\"value\":\"1\"}}],\"tags\":[{{\"key\":\"t\",\"value\":\"v\"}}]}}"
            ),
            new("POST", "api/2.0/mlflow/runs/log-parameter", None(), $"{{\"run_id\":\"{mlflowRun}\",\"key\":\"p2\",\"value\":\"1\"}}"),
            new("POST", "api/2.0/mlflow/runs/set-tag", None(), $"{{\"run_id\":\"{mlflowRun}\",\"key\":\"t2\",\"value\":\"v\"}}"),
            new("POST", "api/2.0/mlflow/runs/delete-tag", None(), $"{{\"run_id\":\"{mlflowRun}\",\"key\":\"t2\"}}"),
            new("GET", "api/2.0/mlflow/metrics/get-history", Q(("run_id", mlflowRun), ("metric_key", "loss"), ("max_results", "10"))),
            new("GET", "ajax-api/2.0/mlflow/metrics/get-history-bulk-interval", Q(("run_ids", mlflowRun), ("metric_key", "loss"), ("max_results", "10"))),
        ];
        return templates;
    }
}

/// <summary>The two fuzz classes run one after the other: each is timed, and each alone keeps the machine busy.</summary>
[CollectionDefinition(nameof(FuzzCollection), DisableParallelization = true)]
public sealed class FuzzCollection;

[Trait("Store", "Sqlite")]
[Collection(nameof(FuzzCollection))]
public sealed class SqliteFuzzTests(ITestOutputHelper output) : FuzzTests(StoreKind.Sqlite, output);

[Trait("Store", "Postgres")]
[Collection(nameof(FuzzCollection))]
public sealed class PostgresFuzzTests(ITestOutputHelper output) : FuzzTests(StoreKind.Postgres, output);
