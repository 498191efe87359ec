using System.Diagnostics;
using System.Globalization;
using Tracker.Bench.Ingest;
using Tracker.TestSupport;

// Usage: dotnet run -c Release --project bench/Tracker.Bench.Ingest -- [ingest|mlflow|query|all] [--clients N] [--points N] [--batch N] [--big N] [--rounds N] [--warmup N]
//        [--store postgres|sqlite] [--env NAME=VALUE]...
// Prints one figure per line. Starts its own durable PostgreSQL cluster (fsync on) and the Release server as a child process;
// with --store sqlite the server uses a fresh SQLite file per run instead (no raw COPY figure). --env adds server settings,
// e.g. --env Tracker__Sqlite__Synchronous=Normal or --env Tracker__RateLimits__Enabled=false.
var mode = args.FirstOrDefault(a => !a.StartsWith("--", StringComparison.Ordinal)) ?? "all";
int Arg(string name, int fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
}
var clients = Arg("--clients", 4);
var points = Arg("--points", 2_000_000);
var batch = Arg("--batch", 10_000);
var big = Arg("--big", 10_000_000);
var rounds = Arg("--rounds", 1);
var warmup = Arg("--warmup", 400_000);
const string Key = "bench_admin_key_0123456789";
var sqlite = Array.IndexOf(args, "--store") is var storeAt and >= 0 && storeAt + 1 < args.Length && args[storeAt + 1] == "sqlite";
var settings = new Dictionary<string, string>();
for (var i = 0; i + 1 < args.Length; i++)
{
    if (args[i] == "--env" && args[i + 1].Split('=', 2) is [var name, var value])
        settings[name] = value;
}

using var cluster = sqlite ? null : PostgresCluster.StartDedicated(durable: true);
var sqliteDir = sqlite ? Directory.CreateTempSubdirectory("tracker-bench-sqlite-").FullName : null;
Console.WriteLine(
    sqlite
        ? $"store=sqlite ({sqliteDir}) clients={clients} points={points} batch={batch} settings={string.Join(' ', settings.Select(kv => kv.Key + "=" + kv.Value))}"
        : $"postgres=durable (fsync on, synchronous_commit on) clients={clients} points={points} batch={batch} settings={string.Join(' ', settings.Select(kv => kv.Key + "=" + kv.Value))}"
);

Task<ServerProcess> StartServerAsync(string name, bool analysis = true) =>
    sqlite
        ? ServerProcess.StartAsync(
            $"Data Source={Path.Combine(sqliteDir!, name + "_" + Guid.NewGuid().ToString("N")[..8] + ".db")}",
            Key,
            analysis,
            "Sqlite",
            settings
        )
        : ServerProcess.StartAsync(cluster!.CreateDatabase(name), Key, analysis, "Postgres", settings);

if (mode is "ingest" or "all")
{
    var raw = sqlite ? double.NaN : await RawCopy.RowsPerSecondAsync(cluster!.CreateDatabase("raw"), clients, points / clients, batch);
    Console.WriteLine($"raw_copy_rows_per_s={raw:F0}");

    // Analysis on and off alternate in ABBA order (on, off, off, on), repeated --rounds times, so that drift over the
    // run (WAL, checkpoints, a warmer cache) favours neither side; each side's figure is the mean of its runs.
    var runsOn = new List<IngestRun>();
    var runsOff = new List<IngestRun>();
    for (var round = 0; round < rounds; round++)
    {
        runsOn.Add(await HttpIngestAsync(analysis: true));
        runsOff.Add(await HttpIngestAsync(analysis: false));
        runsOff.Add(await HttpIngestAsync(analysis: false));
        runsOn.Add(await HttpIngestAsync(analysis: true));
    }
    var on = runsOn.Average(r => r.PointsPerSecond);
    var off = runsOff.Average(r => r.PointsPerSecond);
    string List(List<IngestRun> runs) => string.Join(", ", runs.Select(r => r.PointsPerSecond.ToString("F0", CultureInfo.InvariantCulture)));
    Console.WriteLine($"http_ingest_points_per_s={on:F0} (analysis on; runs {List(runsOn)})");
    Console.WriteLine($"http_ingest_points_per_s={off:F0} (analysis off; runs {List(runsOff)})");
    Console.WriteLine($"http_ingest_vs_raw_copy={on / raw:P0} (analysis on), {off / raw:P0} (analysis off)");
    Console.WriteLine($"analysis_on_vs_off={on / off:P0}");
    var cpuOn = runsOn.Average(r => r.ServerCpuNsPerPoint);
    var cpuOff = runsOff.Average(r => r.ServerCpuNsPerPoint);
    Console.WriteLine(
        $"server_cpu_ns_per_point={cpuOn:F0} (analysis on), {cpuOff:F0} (analysis off): analysis adds {cpuOn - cpuOff:F0} ns ({(cpuOn - cpuOff) / cpuOff:P1})"
    );
    Console.WriteLine($"server_peak_working_set_mb={runsOn.Max(r => r.PeakBytes) / 1024.0 / 1024.0:F0}");
}

async Task<IngestRun> HttpIngestAsync(bool analysis)
{
    await using var server = await StartServerAsync(analysis ? "e2e_on" : "e2e_off", analysis);
    using var http = Workload.Http(server.BaseAddress, Key);

    // A long-running server has compiled its hot paths with full optimization; a fresh one runs them at tier 0 for its
    // first seconds. Warm up (same workload, own runs, untimed) so that both sides are measured in the steady state.
    await Task.WhenAll(
        Enumerable
            .Range(0, clients)
            .Select(async c =>
                await Workload.PostAllAsync(http, await Workload.NewRunAsync(http, "warmup", $"warmup-{c}"), Workload.Bodies(0, warmup / clients, batch))
            )
    );
    await Task.Delay(TimeSpan.FromSeconds(1));

    var runs = new string[clients];
    var bodies = new List<byte[]>[clients];
    for (var c = 0; c < clients; c++)
    {
        runs[c] = await Workload.NewRunAsync(http, "bench", $"client-{c}");
        bodies[c] = Workload.Bodies(0, points / clients, batch);
    }
    var peak = server.WorkingSetBytes;
    using var sampling = new CancellationTokenSource();
    var sampler = Task.Run(async () =>
    {
        while (!sampling.IsCancellationRequested)
        {
            peak = Math.Max(peak, server.WorkingSetBytes);
            await Task.Delay(50);
        }
    });
    var cpuBefore = server.CpuTime;
    var sw = Stopwatch.StartNew();
    await Task.WhenAll(Enumerable.Range(0, clients).Select(c => Task.Run(() => Workload.PostAllAsync(http, runs[c], bodies[c]))));
    var rate = points / sw.Elapsed.TotalSeconds;
    var cpuNsPerPoint = (server.CpuTime - cpuBefore).TotalNanoseconds / points;
    await sampling.CancelAsync();
    await sampler;
    var verdicts = 0;
    foreach (var run in runs)
        verdicts += await Workload.VerdictEventsAsync(http, run);
    Console.WriteLine($"  analysis {(analysis ? "on " : "off")}: {rate:F0} points/s, server CPU {cpuNsPerPoint:F0} ns/point, {verdicts} verdict events stored");

    return new IngestRun(rate, peak, cpuNsPerPoint);
}

if (mode is "mlflow" or "all")
{
    await using var server = await StartServerAsync("mlflow");
    using var http = Workload.Http(server.BaseAddress, Key);
    var (p50, p95) = await MlflowLogBatch.MeasureAsync(http);
    Console.WriteLine($"mlflow_log_batch_1000_metrics_ms p50={p50:F1} p95={p95:F1}");
}

if (mode is "query" or "all")
{
    await using var server = await StartServerAsync("query");
    using var http = Workload.Http(server.BaseAddress, Key);
    foreach (var n in new[] { 10_000, 1_000_000, big })
    {
        var run = await Workload.NewRunAsync(http, "query", $"n{n}");
        // One series of n points, ingested through the API in parallel streams of disjoint step ranges.
        const int streams = 2;
        var sw = Stopwatch.StartNew();
        await Task.WhenAll(
            Enumerable
                .Range(0, streams)
                .Select(s =>
                    Task.Run(async () =>
                    {
                        var share = n / streams;
                        var bodies = Workload.Bodies((long)s * share, share, batch, keys: 1, firstSeq: s * 1_000_000L);
                        await Workload.PostAllAsync(http, run, bodies);
                    })
                )
        );
        Console.WriteLine($"loaded_points[n={n}]={n} in {sw.Elapsed.TotalSeconds:F1} s");
        foreach (var (label, query) in new[] { ("full", "maxPoints=1000"), ("zoom10pct", $"maxPoints=1000&fromStep={n / 2}&toStep={n / 2 + n / 10}") })
        {
            var url = new Uri($"api/v1/runs/{run}/metrics/loss?{query}", UriKind.Relative);
            for (var i = 0; i < 5; i++)
                (await http.GetAsync(url)).EnsureSuccessStatusCode();
            var times = new List<double>();
            for (var i = 0; i < 50; i++)
            {
                var t = Stopwatch.StartNew();
                using var response = await http.GetAsync(url);
                await response.Content.ReadAsByteArrayAsync();
                response.EnsureSuccessStatusCode();
                times.Add(t.Elapsed.TotalMilliseconds);
            }
            times.Sort();
            Console.WriteLine($"chart_query_ms[n={n},{label}] p50={times[25]:F1} p95={times[47]:F1}");
        }
    }
}

if (sqliteDir is not null)
    Directory.Delete(sqliteDir, recursive: true);

/// <summary>One end-to-end ingest run: throughput, the server's peak working set and its CPU time per point.</summary>
internal sealed record IngestRun(double PointsPerSecond, long PeakBytes, double ServerCpuNsPerPoint);
