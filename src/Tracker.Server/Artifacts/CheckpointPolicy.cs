using System.Text.Json;
using Tracker.Sdk.Contracts;

namespace Tracker.Server.Artifacts;

/// <summary>A run's <c>tracker.checkpoints</c> config entry: keep the best <see cref="KeepBest"/> checkpoints by the
/// early-stopping monitor and mode, and the last <see cref="KeepLast"/> by step. A missing key keeps none of that kind;
/// a run without the entry keeps every checkpoint.</summary>
internal sealed record CheckpointPolicy(int KeepBest, int KeepLast)
{
    /// <summary>The run's policy, or null when its config has no (valid) entry.</summary>
    public static CheckpointPolicy? FromConfig(string? configJson)
    {
        if (configJson is null)
            return null;
        using var doc = JsonDocument.Parse(configJson);
        if (
            doc.RootElement.ValueKind != JsonValueKind.Object
            || !doc.RootElement.TryGetProperty(CheckpointPolicyDto.EntryName, out var entry)
            || entry.ValueKind != JsonValueKind.Object
        )
        {
            return null;
        }
        return new CheckpointPolicy(Read(entry, "keep_best", "keepBest"), Read(entry, "keep_last", "keepLast"));
    }

    private static int Read(JsonElement entry, string name, string alias) =>
        (entry.TryGetProperty(name, out var v) || entry.TryGetProperty(alias, out v)) && v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var n)
            ? Math.Max(0, n)
            : 0;
}
