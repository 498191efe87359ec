using BenchmarkDotNet.Running;
using Tracker.Benchmarks.Convergence;

if (args is ["memory-per-run"])
    AnalyzerMemory.Run();
else
    BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
