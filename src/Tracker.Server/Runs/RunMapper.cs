using System.Text.Json;
using Tracker.Sdk.Contracts;
using Tracker.Server.Storage.Entities;

namespace Tracker.Server.Runs;

/// <summary>Entity → wire contract.</summary>
internal static class RunMapper
{
    public static RunDto ToDto(RunEntity run, string project, IEnumerable<string> tags, IEnumerable<MetricSeriesEntity> series, long? startedMs = null) =>
        new(
            run.Id,
            project,
            run.Name,
            run.Group,
            tags.Order(StringComparer.Ordinal).ToList(),
            run.Notes,
            run.ConfigJson is null ? null : JsonDocument.Parse(run.ConfigJson).RootElement.Clone(),
            run.State,
            FromMs(run.CreatedMs),
            FromMs(run.UpdatedMs),
            FromMs(run.HeartbeatMs),
            run.EndedMs is { } e ? FromMs(e) : null,
            series.ToDictionary(s => s.Key, ToSummary, StringComparer.Ordinal),
            run.PatternLabel is null ? null : new RunVerdictDto(run.PatternLabel, run.PatternConfidence ?? 0, run.ShouldStop, run.AdviceReason, run.BestStep),
            startedMs is { } started ? FromMs(started) : null
        );

    public static SeriesSummaryDto ToSummary(MetricSeriesEntity s) =>
        new(s.Count, s.FirstStep, s.LastStep, s.LastValue ?? double.NaN, s.MinValue, s.MaxValue, s.MinStep, s.MaxStep, s.LastTimeMs);

    public static DateTimeOffset FromMs(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);
}
