using BenchmarkDotNet.Running;
using Tracker.Sdk.Benchmarks;

// `-- throughput [url] [points] [requests in flight]` measures end-to-end points/s; anything else goes to BenchmarkDotNet.
// `-- serve` hosts a server over a throwaway PostgreSQL until a line is read, so the SDK's own CPU can be measured in another process.
if (args.Length > 0 && args[0] == "throughput")
    return await ThroughputTool.RunAsync(args[1..]);
if (args.Length > 0 && args[0] == "serve")
    return await ThroughputTool.ServeAsync();
BenchmarkSwitcher.FromAssembly(typeof(LogBenchmarks).Assembly).Run(args);
return 0;
