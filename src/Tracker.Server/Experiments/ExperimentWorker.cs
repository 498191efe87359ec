using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Tracker.Compute.Experiments;
using Tracker.Sdk.Contracts;
using Tracker.Server.Hosting;
using Tracker.Server.Ingest;
using Tracker.Server.Telemetry;

namespace Tracker.Server.Experiments;

/// <summary>The pool of experiment workers of this server: claims queued jobs, runs each on its own thread, keeps its
/// lease alive (<see cref="ExperimentLeaseKeeper"/>), honours cancel requests and the wall-clock limit, and records how it
/// ended; every write of an attempt is fenced by its lease token. When an experiment finishes (or is cancelled, or
/// reaches the time limit) its best parameters by the run's monitor are saved as a checkpoint of its run
/// (<see cref="ExperimentCheckpoints"/>) before the job is marked ended.</summary>
internal sealed partial class ExperimentWorker(
    ExperimentJobStore jobs,
    ExperimentSignal signal,
    MetricIngestor ingestor,
    ExperimentCheckpoints checkpoints,
    TimeProvider time,
    IOptions<TrackerOptions> options,
    TrackerMetrics metrics,
    ILogger<ExperimentWorker> logger
) : BackgroundService
{
    private readonly string _owner = $"{Environment.MachineName}-{Environment.ProcessId}-{RandomNumberGenerator.GetHexString(6)}";
    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(1);

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value.Experiments;
        var workers = Enumerable.Range(0, Math.Max(1, settings.Concurrency)).Select(_ => Task.Run(() => WorkLoopAsync(stoppingToken), stoppingToken));
        var recovery = Task.Run(() => RecoveryLoopAsync(stoppingToken), stoppingToken);
        return Task.WhenAll(workers.Append(recovery));
    }

    private async Task RecoveryLoopAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value.Experiments;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (await jobs.RecoverExpiredAsync(settings.MaxAttempts, stoppingToken) > 0)
                    signal.Notify(1);
                var (queued, running) = await jobs.CountAsync(stoppingToken);
                metrics.QueueSampled(queued, running);
                await Task.Delay(settings.Lease / 3, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                LogLoopFailed(logger, e);
                await Task.Delay(Poll, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    private async Task WorkLoopAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value.Experiments;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var job = await jobs.ClaimAsync(_owner, settings.Lease, stoppingToken);
                if (job is null)
                {
                    await signal.WaitAsync(Poll, stoppingToken);
                    continue;
                }
                await RunJobAsync(job, settings, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                LogLoopFailed(logger, e);
                await Task.Delay(Poll, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    private async Task RunJobAsync(ExperimentJobStore.ClaimedJob job, ExperimentOptions settings, CancellationToken stoppingToken)
    {
        if (job.Attempts > 1 && !await jobs.ResetRunDataAsync(job, stoppingToken))
        {
            LogLeaseLost(logger, job.RunId);
            return;
        }
        using var deadline = new CancellationTokenSource(settings.MaxDuration, time);
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, deadline.Token);
        var keeper = new ExperimentLeaseKeeper(jobs, job, settings.Lease, cancel, time, logger);
        LogStarted(logger, job.RunId, job.Attempts);
        var started = time.GetTimestamp();
        string state,
            message;
        RunState runState;
        string? error = null;
        var monitor = await checkpoints.MonitorAsync(job.RunId, stoppingToken);
        using var sink = new RunMetricSink(
            job.RunId,
            job.Fence,
            ingestor,
            time,
            monitor?.Monitor,
            monitor?.Mode ?? Tracker.Analysis.Convergence.MetricMode.Min,
            cancel.Token
        );
        try
        {
            var spec = ExperimentSpec.FromJson(job.SpecJson);
            await Task.Factory.StartNew(
                () =>
                {
                    ExperimentRunner.Run(spec, sink, cancel.Token);
                    sink.Flush();
                },
                cancel.Token,
                TaskCreationOptions.LongRunning,
                TaskScheduler.Default
            );
            (state, runState, message) = (ExperimentJobState.Succeeded, RunState.Finished, $"experiment finished: {sink.Stored} points");
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Server shutting down: leave the job running with its lease; it is restarted after the lease expires.
            await keeper.DisposeAsync();
            return;
        }
        catch (OperationCanceledException) when (keeper.LeaseLost || sink.Fenced)
        {
            // The lease expired and the job was requeued or claimed again: its new owner decides the outcome.
            await keeper.DisposeAsync();
            LogLeaseLost(logger, job.RunId);
            return;
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !keeper.CancelRequested)
        {
            (state, runState, message, error) = (
                ExperimentJobState.Failed,
                RunState.Failed,
                $"experiment stopped: it ran longer than the limit of {settings.MaxDuration:c} (Tracker:Experiments:MaxDuration)",
                "exceeded MaxDuration"
            );
        }
        catch (OperationCanceledException)
        {
            (state, runState, message) = (
                ExperimentJobState.Cancelled,
                RunState.Killed,
                keeper.CancelRequested ? "experiment cancelled" : "experiment stopped: the run no longer accepts points"
            );
        }
        catch (Exception e)
        {
            (state, runState, message, error) = (ExperimentJobState.Failed, RunState.Failed, $"experiment failed: {e.Message}", e.ToString());
            LogFailed(logger, e, job.RunId);
        }
        // The parameters are those of a completed step whatever stopped the loop; a failure inside a step saves nothing.
        if (error is null || deadline.IsCancellationRequested)
        {
            if (sink.Checkpoint is var (step, parameters))
                await checkpoints.SaveAsync(job.RunId, step, parameters, CancellationToken.None);
        }
        await keeper.DisposeAsync();
        metrics.ExperimentEnded(state, time.GetElapsedTime(started));
        // Fenced like every write of the attempt: when the lease was lost meanwhile, the job's new owner decides.
        if (!await jobs.CompleteAsync(job, state, runState, message, error, CancellationToken.None))
        {
            LogLeaseLost(logger, job.RunId);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Experiment run {RunId} started (attempt {Attempt})")]
    private static partial void LogStarted(ILogger logger, string runId, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Experiment run {RunId} failed")]
    private static partial void LogFailed(ILogger logger, Exception exception, string runId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Experiment run {RunId} lost its lease to another worker; stopping this attempt")]
    private static partial void LogLeaseLost(ILogger logger, string runId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Experiment worker loop failed; retrying")]
    private static partial void LogLoopFailed(ILogger logger, Exception exception);
}
