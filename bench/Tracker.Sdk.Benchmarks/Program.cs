using BenchmarkDotNet.Running;
using Tracker.Sdk.Benchmarks;

// `-- throughput [url] [points]` measures end-to-end points/s; anything else goes to BenchmarkDotNet.
if (args.Length > 0 && args[0] == "throughput") return await ThroughputTool.RunAsync(args[1..]);
BenchmarkSwitcher.FromAssembly(typeof(LogBenchmarks).Assembly).Run(args);
return 0;
