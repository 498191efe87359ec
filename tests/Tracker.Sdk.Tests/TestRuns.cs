using System.Collections.Concurrent;
using Tracker.Sdk.Client;
using Tracker.TestSupport;

namespace Tracker.Sdk.Tests;

/// <summary>Options and checks shared by the SDK tests.</summary>
internal static class TestRuns
{
    /// <summary>Options for a run against <paramref name="server"/> with a private spool folder and fast retries.</summary>
    public static RunOptions Options(
        Uri url,
        string spoolDir,
        ConcurrentQueue<string>? warnings = null,
        string? id = null,
        ResumeMode resume = ResumeMode.Never,
        TrackerMode mode = TrackerMode.Online,
        TimeSpan? flushTimeout = null,
        int retries = 2,
        TimeSpan? heartbeat = null,
        int capacity = 100_000,
        TimeSpan? backpressure = null,
        object? config = null,
        int inFlight = 2
    ) =>
        new()
        {
            Project = "sdk-tests",
            Id = id,
            Resume = resume,
            Url = url,
            ApiKey = TrackerServer.AdminKey,
            Mode = mode,
            SpoolDir = spoolDir,
            TrackerHome = spoolDir,
            MaxRetryAttempts = retries,
            RetryBaseDelay = TimeSpan.FromMilliseconds(50),
            AttemptTimeout = TimeSpan.FromSeconds(5),
            FlushTimeout = flushTimeout ?? TimeSpan.FromSeconds(15),
            HeartbeatInterval = heartbeat ?? TimeSpan.FromSeconds(60),
            ChannelCapacity = capacity,
            BackpressureTimeout = backpressure ?? TimeSpan.FromMilliseconds(500),
            OnWarning = warnings is null ? _ => { } : warnings.Enqueue,
            Config = config ?? new { lr = 0.01, batch = 32 },
            MaxRequestsInFlight = inFlight,
        };

    /// <summary>A fresh temporary folder, removed with the others when the test process exits.</summary>
    public static string TempDir() => TestFolders.Create("sdk-");

    /// <summary>Every stored point of a series, in step order.</summary>
    public static async Task<List<Contracts.MetricPointDto>> ReadAllAsync(TrackerClient client, string runId, string key)
    {
        var list = new List<Contracts.MetricPointDto>();
        await foreach (var p in client.ReadAllAsync(runId, key))
            list.Add(p);
        return list;
    }

    /// <summary>Asserts the series holds exactly steps 0..count-1 once each, with value = step.</summary>
    public static async Task AssertSeriesAsync(TrackerClient client, string runId, string key, int count, int firstStep = 0)
    {
        var points = await ReadAllAsync(client, runId, key);
        Assert.Equal(count, points.Count);
        for (var i = 0; i < count; i++)
        {
            Assert.Equal(firstStep + i, points[i].Step);
            Assert.Equal(firstStep + i, points[i].Value);
        }
    }
}
