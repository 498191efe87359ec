using System.Diagnostics;
using Tracker.Compute.Experiments;
using Tracker.Sdk.Contracts;
using Xunit.Abstractions;

namespace Tracker.Compute.Tests.Experiments;

/// <summary>Every solver kind stops within a second of a cancel, even inside a long iteration (a k-means restart, an EM
/// step, a perceptron epoch, a Newton factorization, an L-BFGS step, a wide network's layer): each run here would
/// otherwise take many seconds, often minutes. The second is counted in the process's CPU time (the work the solver does
/// before it notices; the kernels use every core, so the limit is one second per core), not in wall-clock
/// time, which on a starved machine measures the machine; the class runs alone so that the CPU time is the solver's.</summary>
[Collection(nameof(CancellationLatencyCollection))]
public sealed class CancellationLatencyTests(ITestOutputHelper output)
{
    private static readonly TimeSpan CpuLimit = TimeSpan.FromSeconds(Environment.ProcessorCount);

    private sealed class CountingSink : IMetricSink
    {
        public long Points;

        public void Log(long step, string key, double value) => Interlocked.Increment(ref Points);
    }

    [Theory]
    [InlineData("gd", """{"solver":"gd","problem":"quadratic","hyperparameters":{"lr":1e-4,"dimension":10000,"condition_number":1000},"steps":1000000}""")]
    [InlineData(
        "sgd",
        """{"solver":"sgd","problem":"quadratic","hyperparameters":{"lr":1e-4,"momentum":0.9,"dimension":10000,"condition_number":1000},"steps":1000000}"""
    )]
    [InlineData("adagrad", """{"solver":"adagrad","problem":"quadratic","hyperparameters":{"lr":1e-3,"dimension":10000},"steps":1000000}""")]
    [InlineData("rmsprop", """{"solver":"rmsprop","problem":"quadratic","hyperparameters":{"lr":1e-4,"dimension":10000},"steps":1000000}""")]
    [InlineData("adam", """{"solver":"adam","problem":"quadratic","hyperparameters":{"lr":1e-4,"dimension":10000},"steps":1000000}""")]
    [InlineData("adamw", """{"solver":"adamw","problem":"quadratic","hyperparameters":{"lr":1e-4,"dimension":10000},"steps":1000000}""")]
    [InlineData("newton", """{"solver":"newton","problem":"quadratic","hyperparameters":{"dimension":2500,"condition_number":1000},"steps":1000000}""")]
    [InlineData(
        "lbfgs",
        """{"solver":"lbfgs","problem":"quadratic","hyperparameters":{"dimension":10000,"condition_number":1000000,"max_iter":1000,"tolerance_grad":0,"tolerance_change":0},"steps":1000000}"""
    )]
    [InlineData(
        "sync_sgd",
        """{"solver":"sync_sgd","problem":"softmax_regression","hyperparameters":{"dataset":"digits","workers":64,"lr":1e-3},"steps":1000000}"""
    )]
    [InlineData(
        "async_sgd",
        """{"solver":"async_sgd","problem":"softmax_regression","hyperparameters":{"dataset":"digits","workers":64,"lr":1e-3},"steps":1000000}"""
    )]
    [InlineData("kmeans", """{"solver":"kmeans","problem":"digits","hyperparameters":{"n_clusters":256,"n_init":100,"tol":0},"steps":1000000}""")]
    [InlineData("gmm", """{"solver":"gmm","problem":"digits","hyperparameters":{"n_components":64,"tol":0,"reg_covar":0.001},"steps":1000000}""")]
    [InlineData("perceptron", """{"solver":"perceptron","problem":"breast_cancer","steps":1000000}""")]
    [InlineData("adam on a wide mlp", """{"solver":"adam","problem":"mlp","hyperparameters":{"width":1024,"depth":4},"steps":1000000}""")]
    public async Task A_long_run_stops_within_a_second_of_a_cancel(string kind, string json)
    {
        var spec = ExperimentSpec.FromJson(json);
        var sink = new CountingSink();
        using var cancel = new CancellationTokenSource();
        var clock = new Stopwatch();
        var stoppedAt = TimeSpan.MaxValue;
        var cpuAtCancel = TimeSpan.Zero;
        var cpuAtStop = TimeSpan.MaxValue;
        var run = Task.Factory.StartNew(
            () =>
            {
                try
                {
                    ExperimentRunner.Run(spec, sink, cancel.Token);
                }
                catch (OperationCanceledException)
                {
                    // Measured on the solver's thread: how long the solver took to notice, not how long the test's
                    // continuation waited for a thread-pool thread on a busy machine.
                    stoppedAt = clock.Elapsed;
                    cpuAtStop = Process.GetCurrentProcess().TotalProcessorTime;
                    throw;
                }
            },
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default
        );
        await Task.Delay(400);
        Assert.False(run.IsCompleted, $"{kind}: the run ended before the cancel ({run.Exception?.InnerException?.Message ?? "completed"}); make it longer");

        cpuAtCancel = Process.GetCurrentProcess().TotalProcessorTime;
        clock.Start();
        await cancel.CancelAsync();
        var stopped = await Task.WhenAny(run, Task.Delay(TimeSpan.FromSeconds(30))) == run;
        var cpu = cpuAtStop - cpuAtCancel;
        output.WriteLine(
            $"{kind}: stopped {stoppedAt.TotalMilliseconds:0} ms ({cpu.TotalMilliseconds:0} ms of CPU time) after the cancel ({sink.Points} points logged)"
        );
        Assert.True(stopped, $"{kind}: still running 30 s after the cancel");
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        Assert.True(cpu < CpuLimit, $"{kind}: {cpu.TotalMilliseconds:0} ms of CPU time after the cancel ({stoppedAt.TotalMilliseconds:0} ms wall clock)");
    }
}

/// <summary>Runs <see cref="CancellationLatencyTests"/> alone: their CPU-time figures must be the solver's alone.</summary>
[CollectionDefinition(nameof(CancellationLatencyCollection), DisableParallelization = true)]
public sealed class CancellationLatencyCollection;
