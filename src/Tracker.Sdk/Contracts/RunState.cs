using System.Text.Json.Serialization;

namespace Tracker.Sdk.Contracts;

/// <summary>The lifecycle state of a run.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<RunState>))]
public enum RunState
{
    /// <summary>The run is logging.</summary>
    [JsonStringEnumMemberName("running")]
    Running,

    /// <summary>The run ended normally.</summary>
    [JsonStringEnumMemberName("finished")]
    Finished,

    /// <summary>The run ended with an error reported by the script.</summary>
    [JsonStringEnumMemberName("failed")]
    Failed,

    /// <summary>The run stopped sending heartbeats and was marked by the server.</summary>
    [JsonStringEnumMemberName("crashed")]
    Crashed,

    /// <summary>The run was stopped by a person or automation.</summary>
    [JsonStringEnumMemberName("killed")]
    Killed,
}
