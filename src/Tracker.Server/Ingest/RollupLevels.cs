namespace Tracker.Server.Ingest;

/// <summary>The pre-aggregated levels of every series: level k buckets steps by width 16^k.</summary>
/// <remarks>A chart query for N points over a range of S steps reads buckets of the coarsest level whose
/// width is at most S/N, so it touches between N and 16·N rows whatever the series' length.</remarks>
internal static class RollupLevels
{
    /// <summary>Bucket width of level k is <c>Widths[k-1]</c>.</summary>
    public static ReadOnlySpan<long> Widths => [16, 256, 4096, 65_536, 1_048_576];

    public const int Count = 5;

    /// <summary>The coarsest level whose width is at most <paramref name="maxWidth"/>; 0 when none is (use raw points).</summary>
    public static int CoarsestAtMost(long maxWidth)
    {
        var level = 0;
        for (var k = 0; k < Count; k++)
        {
            if (Widths[k] <= maxWidth)
            {
                level = k + 1;
            }
        }
        return level;
    }

    public static long Width(int level) => level == 0 ? 1 : Widths[level - 1];
}
