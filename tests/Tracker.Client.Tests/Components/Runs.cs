using Tracker.Sdk.Contracts;

namespace Tracker.Client.Tests.Components;

/// <summary>Runs for table tests.</summary>
internal static class Runs
{
    public static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static RunDto Make(
        string id,
        string name,
        RunState state = RunState.Finished,
        string? group = null,
        string[]? tags = null,
        int createdMinute = 0,
        double? valLoss = null,
        double? acc = null
    )
    {
        var summary = new Dictionary<string, SeriesSummaryDto>();
        if (valLoss is { } v)
            summary["val_loss"] = new SeriesSummaryDto(10, 0, 9, v, v - 0.1, v + 1, 5, 0, 0);
        if (acc is { } a)
            summary["acc"] = new SeriesSummaryDto(10, 0, 9, a, a - 0.2, a, 0, 9, 0);
        var created = T0.AddMinutes(createdMinute);
        return new RunDto(
            id,
            "p",
            name,
            group,
            tags ?? [],
            null,
            null,
            state,
            created,
            created.AddMinutes(5),
            created.AddMinutes(5),
            state == RunState.Running ? null : created.AddMinutes(5),
            summary
        );
    }
}
