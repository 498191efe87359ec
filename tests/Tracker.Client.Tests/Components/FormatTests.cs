using Tracker.Client.Components;
using Tracker.Sdk.Contracts;

namespace Tracker.Client.Tests.Components;

public sealed class FormatTests
{
    [Theory]
    [InlineData(0.18, "180 ms")]
    [InlineData(0.0004, "1 ms")]
    [InlineData(4.24, "4.2s")]
    [InlineData(42, "42s")]
    [InlineData(192, "3m 12s")]
    [InlineData(7500, "2h 5m")]
    public void A_duration_reads_at_the_scale_it_has(double seconds, string expected) => Assert.Equal(expected, Format.Duration(TimeSpan.FromSeconds(seconds)));

    [Theory]
    [InlineData(0, "0 B")]
    [InlineData(1023, "1023 B")]
    [InlineData(1536, "1.50 KiB")]
    [InlineData(30_000, "29.3 KiB")]
    [InlineData(1_073_741_824, "1.00 GiB")]
    [InlineData(157_286_400, "150 MiB")]
    public void A_size_reads_in_binary_units(long bytes, string expected) => Assert.Equal(expected, Format.Bytes(bytes));

    private static readonly DateTimeOffset Created = DateTimeOffset.FromUnixTimeMilliseconds(1_000_000);

    /// <summary>A finished run created at <see cref="Created"/> whose loss was last logged <paramref name="lastPointAfter"/>
    /// seconds later (none when null).</summary>
    private static RunDto FinishedRun(int? lastPointAfter) =>
        new(
            "r",
            "p",
            "n",
            null,
            [],
            null,
            null,
            RunState.Finished,
            Created,
            Created,
            Created,
            null,
            lastPointAfter is { } s
                ? new Dictionary<string, SeriesSummaryDto> { ["loss"] = new(10, 0, 9, 1, 1, 2, 9, 0, Created.ToUnixTimeMilliseconds() + s * 1000L) }
                : new Dictionary<string, SeriesSummaryDto>(),
            null
        );

    [Fact]
    public void A_run_that_ended_without_an_end_time_lasts_until_its_last_point()
    {
        var run = FinishedRun(lastPointAfter: 65);
        Assert.Equal(TimeSpan.FromSeconds(65), Format.RunDuration(run, Created.AddHours(1)));
        Assert.Equal(TimeSpan.FromMinutes(30), Format.RunDuration(run with { State = RunState.Running }, Created.AddMinutes(30)));
        Assert.Equal(TimeSpan.FromSeconds(3), Format.RunDuration(run with { EndedAt = Created.AddSeconds(3) }, Created.AddHours(1)));
    }

    [Fact]
    public void A_hosted_run_lasts_from_its_start_not_from_its_wait_in_the_queue()
    {
        var run = FinishedRun(lastPointAfter: null) with { EndedAt = Created.AddSeconds(50) };
        Assert.Equal(TimeSpan.FromSeconds(50), Format.RunDuration(run, Created.AddHours(1)));
        Assert.Equal(TimeSpan.FromSeconds(10), Format.RunDuration(run with { StartedAt = Created.AddSeconds(40) }, Created.AddHours(1)));
        Assert.Equal(
            TimeSpan.FromSeconds(5),
            Format.RunDuration(run with { State = RunState.Running, EndedAt = null, StartedAt = Created.AddSeconds(40) }, Created.AddSeconds(45))
        );
    }
}
