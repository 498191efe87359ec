using System.Diagnostics;

namespace Tracker.Client.Charts;

/// <summary>Runs the page's live chart updates one at a time and rests after each in proportion to what it cost, so
/// live charts take at most <see cref="Share"/> of the browser's main thread however many there are and however fast
/// runs log: under load the charts update less often instead of freezing the page.</summary>
public sealed class ChartUpdatePacer
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>Largest share of the main thread spent drawing live points (0.5).</summary>
    public double Share { get; init; } = 0.5;

    /// <summary>Runs <paramref name="update"/> when no other chart update runs, then rests (unless
    /// <paramref name="rest"/> is false: a chart's first drawing goes as fast as it can).</summary>
    public async Task RunAsync(Func<Task> update, CancellationToken cancellationToken, bool rest = true)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var start = Stopwatch.GetTimestamp();
            await update();
            var pause = Stopwatch.GetElapsedTime(start) * (1 / Share - 1);
            if (rest && pause > TimeSpan.FromMilliseconds(2))
                await Task.Delay(pause, CancellationToken.None);
        }
        finally
        {
            _gate.Release();
        }
    }
}
