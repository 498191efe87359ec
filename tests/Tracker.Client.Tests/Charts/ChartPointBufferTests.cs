using Tracker.Client.Charts;

namespace Tracker.Client.Tests.Charts;

public sealed class ChartPointBufferTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(200);

    [Fact]
    public void Nothing_leaves_before_the_first_render_then_everything_in_one_update()
    {
        var time = new ManualTime();
        var buffer = new ChartPointBuffer(Interval, time);
        buffer.Add(1, [1.0, 2.0], [0.5, 0.4]);
        buffer.Add(0, [1.0], [9.0]);
        buffer.Add(1, [3.0], [0.3]);
        Assert.False(buffer.TryTake(out _));

        buffer.MarkRendered();
        Assert.True(buffer.TryTake(out var update));
        Assert.Equal([0, 1], update.Traces);
        Assert.Equal([1.0], update.X[0]);
        Assert.Equal([1.0, 2.0, 3.0], update.X[1]);
        Assert.Equal([0.5, 0.4, 0.3], update.Y[1]);
        Assert.Equal(0, buffer.PendingCount);
    }

    [Fact]
    public void Updates_are_coalesced_to_one_per_interval()
    {
        var time = new ManualTime();
        var buffer = new ChartPointBuffer(Interval, time);
        buffer.MarkRendered();
        buffer.Add(0, [1.0], [1.0]);
        Assert.True(buffer.TryTake(out _));

        for (var i = 2; i < 50; i++)
            buffer.Add(0, [(double)i], [(double)i]);
        time.Advance(TimeSpan.FromMilliseconds(150));
        Assert.False(buffer.TryTake(out _));
        Assert.Equal(TimeSpan.FromMilliseconds(50), buffer.DueIn());

        time.Advance(TimeSpan.FromMilliseconds(50));
        Assert.True(buffer.TryTake(out var update));
        Assert.Equal(48, update.X[0].Length);
    }

    [Fact]
    public void Clear_drops_what_waits()
    {
        var buffer = new ChartPointBuffer(Interval, new ManualTime());
        buffer.MarkRendered();
        buffer.Add(0, [1.0], [1.0]);
        buffer.Clear();
        Assert.False(buffer.TryTake(out _));
    }
}
