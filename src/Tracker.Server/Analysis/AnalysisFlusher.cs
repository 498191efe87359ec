namespace Tracker.Server.Analysis;

/// <summary>Evaluates runs whose latest points arrived within <see cref="AnalyzerHost.EvaluationInterval"/> of their last
/// evaluation, so a verdict is never later than that interval even when no further batch comes.</summary>
internal sealed partial class AnalysisFlusher(AnalyzerHost analyzers, TimeProvider time, ILogger<AnalysisFlusher> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(AnalyzerHost.EvaluationInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await analyzers.EvaluatePendingAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogFailed(logger, e);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Pending analysis evaluation failed; retrying at the next tick")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
