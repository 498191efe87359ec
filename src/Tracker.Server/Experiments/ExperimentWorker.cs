using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Tracker.Analysis.Experiments;
using Tracker.Compute.Experiments;
using Tracker.Sdk.Contracts;
using Tracker.Server.Hosting;
using Tracker.Server.Ingest;

namespace Tracker.Server.Experiments;

/// <summary>The pool of experiment workers of this server: claims queued jobs, runs each on its own thread, keeps its
/// lease alive, honours cancel requests, and records how it ended.</summary>
internal sealed partial class ExperimentWorker(
    ExperimentJobStore jobs, ExperimentSignal signal, MetricIngestor ingestor, TimeProvider time,
    IOptions<TrackerOptions> options, ILogger<ExperimentWorker> logger) : BackgroundService
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
                if (await jobs.RecoverExpiredAsync(settings.MaxAttempts, stoppingToken) > 0) signal.Notify(1);
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
        var lease = options.Value.Experiments.Lease;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var job = await jobs.ClaimAsync(_owner, lease, stoppingToken);
                if (job is null)
                {
                    await signal.WaitAsync(Poll, stoppingToken);
                    continue;
                }
                await RunJobAsync(job, lease, stoppingToken);
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

    private async Task RunJobAsync(ExperimentJobStore.ClaimedJob job, TimeSpan lease, CancellationToken stoppingToken)
    {
        if (job.Attempts > 1)
        {
            await jobs.ResetRunDataAsync(job.RunId, stoppingToken);
        }
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var cancelRequested = false;
        var leaseLost = false;
        var renewal = Task.Run(async () =>
        {
            while (!cancel.IsCancellationRequested)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(500, lease.TotalMilliseconds / 3)), cancel.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                if (cancel.IsCancellationRequested) return;
                var renewed = await jobs.RenewAsync(job.Id, _owner, lease, stoppingToken);
                if (renewed != false)
                {
                    cancelRequested = renewed == true;
                    leaseLost = renewed is null;
                    await cancel.CancelAsync();
                }
            }
        }, CancellationToken.None);

        LogStarted(logger, job.RunId, job.Attempts);
        string state, message;
        RunState runState;
        string? error = null;
        using var sink = new RunMetricSink(job.RunId, ingestor, time, cancel.Token);
        try
        {
            var spec = ExperimentSpec.FromJson(job.SpecJson);
            await Task.Factory.StartNew(() =>
            {
                ExperimentRunner.Run(spec, sink, cancel.Token);
                sink.Flush();
            }, cancel.Token, TaskCreationOptions.LongRunning, TaskScheduler.Default);
            (state, runState, message) = (ExperimentJobState.Succeeded, RunState.Finished, $"experiment finished: {sink.Stored} points");
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Server shutting down: leave the job running with its lease; it is restarted after the lease expires.
            await cancel.CancelAsync();
            await renewal;
            return;
        }
        catch (OperationCanceledException) when (leaseLost)
        {
            // Our lease expired and the job was handed to another worker: it owns the outcome now.
            LogLeaseLost(logger, job.RunId);
            await renewal;
            return;
        }
        catch (OperationCanceledException)
        {
            if (await jobs.RenewAsync(job.Id, _owner, lease, CancellationToken.None) is null)
            {
                // The lease was lost before the renewal loop noticed: the job's new owner decides its outcome.
                LogLeaseLost(logger, job.RunId);
                await cancel.CancelAsync();
                await renewal;
                return;
            }
            (state, runState, message) = (ExperimentJobState.Cancelled, RunState.Killed, cancelRequested ? "experiment cancelled" : "experiment stopped: the run no longer accepts points");
        }
        catch (Exception e)
        {
            (state, runState, message, error) = (ExperimentJobState.Failed, RunState.Failed, $"experiment failed: {e.Message}", e.ToString());
            LogFailed(logger, e, job.RunId);
        }
        await cancel.CancelAsync();
        await renewal;
        await jobs.CompleteAsync(job.Id, job.RunId, state, runState, message, error, CancellationToken.None);
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
