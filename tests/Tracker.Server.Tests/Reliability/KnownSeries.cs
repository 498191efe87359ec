using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Tracker.Sdk;
using Tracker.Sdk.Client;
using Tracker.TestSupport;

namespace Tracker.Server.Tests.Reliability;

/// <summary>What the reliability tests log through the SDK: three series over steps 0..N-1 whose values are a function
/// of their step, and the check that the server holds every point exactly once.</summary>
internal static class KnownSeries
{
    /// <summary>The series' keys.</summary>
    public static readonly string[] Keys = ["loss", "acc", "lr"];

    /// <summary>The value of series <paramref name="series"/> at <paramref name="step"/> (exact in binary, or not: both
    /// stores keep doubles, and JSON carries them round-trip).</summary>
    public static double Value(int series, long step) =>
        series switch
        {
            0 => 1.0 / (step + 1),
            1 => step * 0.25,
            _ => -step - 0.1,
        };

    /// <summary>Logs the three points of <paramref name="step"/>.</summary>
    public static void Log(TrackerRun run, long step) => run.Log(step, (Keys[0], Value(0, step)), (Keys[1], Value(1, step)), (Keys[2], Value(2, step)));

    /// <summary>Logs <paramref name="step"/>, yielding a millisecond every 20 steps, so that the points of a test's phase
    /// (before, during, after an outage) go out in several batches instead of one.</summary>
    /// <summary>The SDK run both reliability tests log through: batches of at most 300 points, quick retries, and a flush
    /// that may take what it needs on a loaded machine (what is checked is that every point arrives once).</summary>
    public static Task<TrackerRun> StartRunAsync(Uri server, string home, HttpMessageHandler attempts, ConcurrentQueue<string> warnings) =>
        TrackerRun.StartAsync(
            new RunOptions
            {
                Project = "reliability",
                Url = server,
                ApiKey = TrackerServer.AdminKey,
                TrackerHome = home,
                SpoolDir = Path.Combine(home, "spool"),
                MaxBatchPoints = 300,
                RetryBaseDelay = TimeSpan.FromMilliseconds(100),
                AttemptTimeout = TimeSpan.FromSeconds(10),
                FlushTimeout = TimeSpan.FromMinutes(3),
                HttpHandler = attempts,
                OnWarning = warnings.Enqueue,
            }
        );

    public static async Task LogPacedAsync(TrackerRun run, long step)
    {
        Log(run, step);
        if (step % 20 == 0)
            await Task.Delay(1);
    }

    /// <summary>Waits until <paramref name="condition"/> holds, failing with <paramref name="message"/> after <paramref name="within"/>.</summary>
    public static async Task WaitUntilAsync(Func<bool> condition, TimeSpan within, string message)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < within, message);
            await Task.Delay(20);
        }
    }

    /// <summary>Asserts that each series holds steps 0..<paramref name="steps"/>-1 once each with their values, read
    /// back through the REST API (every page of the raw history, and the series' summary count).</summary>
    public static async Task AssertStoredOnceAsync(TrackerClient client, string runId, int steps)
    {
        var summaries = (await client.ListSeriesAsync(runId)).Series.ToDictionary(s => s.Key, s => s.Summary.Count);
        for (var series = 0; series < Keys.Length; series++)
        {
            var key = Keys[series];
            var points = new List<Sdk.Contracts.MetricPointDto>();
            await foreach (var point in client.ReadAllAsync(runId, key))
                points.Add(point);
            var seen = points.GroupBy(p => p.Step).ToDictionary(g => g.Key, g => g.Count());
            var missing = Enumerable.Range(0, steps).Where(s => !seen.ContainsKey(s)).ToList();
            var twice = seen.Where(s => s.Value > 1).Select(s => s.Key).Order().ToList();
            var foreign = seen.Keys.Where(s => s < 0 || s >= steps).ToList();
            Assert.True(
                missing.Count == 0 && twice.Count == 0 && foreign.Count == 0 && points.Count == steps,
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"{key}: {points.Count} points stored for {steps} steps; missing {missing.Count} (first {string.Join(", ", missing.Take(10))}), "
                        + $"stored more than once {twice.Count} (first {string.Join(", ", twice.Take(10))}), outside 0..{steps - 1}: {foreign.Count}"
                )
            );
            foreach (var point in points)
                Assert.Equal(Value(series, point.Step), point.Value);
            Assert.Equal(steps, summaries[key]);
        }
    }
}
