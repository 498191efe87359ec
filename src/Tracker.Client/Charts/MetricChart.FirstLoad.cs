using Microsoft.JSInterop;
using Tracker.Client.Services;

namespace Tracker.Client.Charts;

// A chart's first load on a page that counts its first drawings (FirstDrawings), and its catch-up read once the page's
// live subscription has started.
public sealed partial class MetricChart
{
    private async Task FirstLoadAsync(bool inViewport)
    {
        if (Drawings is null)
        {
            await LoadAsync(null, null);
            return;
        }
        if (!inViewport)
        {
            try
            {
                await Drawings.WhenDrawnAsync(TimeSpan.FromSeconds(1), _cts.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            await LoadAsync(null, null);
            return;
        }
        Drawings.Started();
        try
        {
            await LoadAsync(null, null);
            await (await ModuleAsync()).InvokeVoidAsync("afterPaint", _cts.Token); // shown before the page's next work
        }
        catch (Exception e) when (e is JSException or JSDisconnectedException or OperationCanceledException) { }
        finally
        {
            Drawings.Ended();
        }
    }

    /// <summary>The page's live subscription started after this chart read its history: reads what each series logged
    /// after that history (<c>fromStep</c>), merges it by step with the live points received since, and draws it.</summary>
    public async Task CatchUpAsync()
    {
        if (!_state.HasAppeared || _state.Zoomed)
            return; // not loaded yet: its history, read after the subscription, misses nothing
        try
        {
            await _firstLoad;
            if (!_state.IsLoaded)
                return;
            var client = await Api.ClientAsync();
            var series = _series;
            var reads = await Task.WhenAll(
                series.Select(s => client.GetPackedHistoryAsync(s.Source.RunId, s.Source.Key, _maxPoints, s.HistoryEnd + 1, null, _cts.Token))
            );
            if (!ReferenceEquals(series, _series))
                return;
            var added = 0;
            for (var i = 0; i < series.Count; i++)
            {
                added += series[i].Merge(reads[i]);
                if (series[i].Count > _maxPoints + _maxPoints / 4)
                    series[i].Compact(_maxPoints * 3 / 4);
            }
            if (added == 0)
                return;
            if (_state.InView)
                await RedrawAsync(first: false);
            else
                _state.MarkStale();
        }
        catch (Exception e)
            when (e
                    is OperationCanceledException
                        or ObjectDisposedException
                        or JSDisconnectedException
                        or JSException
                        or HttpRequestException
                        or Sdk.Client.TrackerApiException
            ) { }
    }
}
