namespace Tracker.Client.Charts;

/// <summary>Tells a page when the charts that started loading have all drawn for the first time (the run page starts
/// its live subscription then, so that the hub's start-up does not compete with the first drawings). One per page,
/// cascaded to its charts; Blazor WebAssembly runs it on one thread.</summary>
public sealed class FirstDrawings
{
    private readonly TaskCompletionSource _drawn = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _pending;

    /// <summary>A chart started its first load.</summary>
    public void Started() => _pending++;

    /// <summary>A chart's first load ended (drawn, failed, or cancelled).</summary>
    public void Ended()
    {
        if (--_pending <= 0)
            _drawn.TrySetResult();
    }

    /// <summary>Completes once at least one chart started and every started one ended, or after
    /// <paramref name="timeout"/> (no chart in view, or a slow server).</summary>
    public async Task WhenDrawnAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var delay = Task.Delay(timeout, cancellationToken);
        await Task.WhenAny(_drawn.Task, delay);
        cancellationToken.ThrowIfCancellationRequested();
    }
}
