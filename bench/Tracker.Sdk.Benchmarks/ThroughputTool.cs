using System.Diagnostics;
using System.Globalization;
using Tracker.Sdk;
using Tracker.TestSupport;

namespace Tracker.Sdk.Benchmarks;

/// <summary>End-to-end ingest: one process logs as fast as it can to a real server and reports points/s once the server has acknowledged everything.</summary>
internal static class ThroughputTool
{
    /// <summary>Hosts a server until a line is read or standard input closes; prints its URL (the key is the test admin key).</summary>
    public static async Task<int> ServeAsync()
    {
        await using var server = TrackerServer.Start(StoreKind.Postgres);
        Console.WriteLine($"url: {server.BaseAddress}");
        Console.WriteLine($"TRACKER_API_KEY={TrackerServer.AdminKey}");
        await Console.In.ReadLineAsync();
        return 0;
    }

    public static async Task<int> RunAsync(string[] args)
    {
        TrackerServer? server = null;
        Uri url;
        string key;
        if (args.Length > 0 && Uri.TryCreate(args[0], UriKind.Absolute, out var given))
        {
            url = given;
            key = Environment.GetEnvironmentVariable("TRACKER_API_KEY") ?? "";
        }
        else
        {
            server = TrackerServer.Start(StoreKind.Postgres);
            url = server.BaseAddress;
            key = TrackerServer.AdminKey;
        }
        var points = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1_000_000;
        var inFlight = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 2;
        try
        {
            var run = await TrackerRun.StartAsync(
                new RunOptions
                {
                    Project = "throughput",
                    Url = url,
                    ApiKey = key,
                    SpoolDir = Path.GetTempPath(),
                    FlushTimeout = TimeSpan.FromMinutes(5),
                    MaxRequestsInFlight = inFlight,
                }
            );
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var watch = Stopwatch.StartNew();
            for (var step = 0; step < points / 4; step++)
                run.Log(step, ("loss", step), ("val_loss", step), ("acc", step), ("lr", step));
            var logged = watch.Elapsed;
            await run.FinishAsync();
            var total = watch.Elapsed;
            Console.WriteLine($"points: {points / 4 * 4}");
            Console.WriteLine($"acknowledged: {run.SentPoints}");
            Console.WriteLine($"log loop: {logged.TotalMilliseconds:0} ms");
            Console.WriteLine($"end to end: {total.TotalMilliseconds:0} ms");
            Console.WriteLine($"requests in flight: {inFlight}");
            Console.WriteLine(
                $"process CPU: {(Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds:0} ms (SDK{(server is null ? "" : " and the in-process server")})"
            );
            Console.WriteLine($"throughput: {run.SentPoints / total.TotalSeconds:0} points/s");
            return 0;
        }
        finally
        {
            if (server is not null)
                await server.DisposeAsync();
        }
    }
}
