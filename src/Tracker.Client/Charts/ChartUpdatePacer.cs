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

    /// <summary>Runs <paramref name="update"/> when no other chart update runs, then rests.</summary>
    public async Task RunAsync(Func<Task> update, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var start = Stopwatch.GetTimestamp();
            await update();
            var rest = Stopwatch.GetElapsedTime(start) * (1 / Share - 1);
            if (rest > TimeSpan.FromMilliseconds(2)) await Task.Delay(rest, CancellationToken.None);
        }
        finally
        {
            _gate.Release();
        }
    }
}
