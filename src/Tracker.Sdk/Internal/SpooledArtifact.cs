using System.Text.Json.Serialization;

namespace Tracker.Sdk.Internal;

/// <summary>The sidecar of a spooled artifact (<c>{n}.json</c> next to <c>{n}.bin</c>): where and what to upload.</summary>
/// <param name="Path">The artifact's path in the run.</param>
/// <param name="Step">Its step.</param>
/// <param name="Kind">Its kind (<c>checkpoint</c>).</param>
/// <param name="Sha256">SHA-256 of the spooled bytes (hex), verified by the server.</param>
internal sealed record SpooledArtifact(string Path, long? Step, string? Kind, string Sha256);

/// <summary>Source-generated JSON for <see cref="SpooledArtifact"/>.</summary>
[JsonSourceGenerationOptions(System.Text.Json.JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(SpooledArtifact))]
internal sealed partial class ArtifactSpoolJsonContext : JsonSerializerContext;
