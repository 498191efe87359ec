using Tracker.Sdk.Contracts;

namespace Tracker.Server.Tests.Api;

/// <summary>Builders of test batches.</summary>
internal static class Points
{
    public static LogMetricsRequest Batch(long seq, params MetricPointInput[] points) => new(seq, points);

    public static MetricPointInput[] Series(string key, long fromStep, int count, Func<long, double> value) =>
        Enumerable.Range(0, count).Select(i => new MetricPointInput(key, fromStep + i, value(fromStep + i), 1_700_000_000_000 + fromStep + i)).ToArray();
}
