using Tracker.Sdk.Contracts;
using Tracker.Server.Runs;
using Tracker.Server.Storage.Entities;

namespace Tracker.Server.Artifacts;

/// <summary>Artifact rows to wire contracts.</summary>
internal static class ArtifactMapper
{
    public static ArtifactDto ToDto(ArtifactEntity a, string? monitor = null) =>
        new(
            a.Path,
            a.Size,
            a.Sha256,
            a.ContentType,
            a.Step,
            a.Kind,
            a.MetricValue,
            RunMapper.FromMs(a.CreatedMs),
            a.Kind == CheckpointRetention.Kind ? monitor : null
        );
}
