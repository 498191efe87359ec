using System.Text.Json.Serialization;

namespace Tracker.Sdk.Contracts;

/// <summary>What an API key may do.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ApiKeyScope>))]
public enum ApiKeyScope
{
    /// <summary>Only GET requests.</summary>
    [JsonStringEnumMemberName("read")]
    Read,

    /// <summary>Reads and writes runs and metrics.</summary>
    [JsonStringEnumMemberName("write")]
    Write,

    /// <summary>Everything, including managing keys.</summary>
    [JsonStringEnumMemberName("admin")]
    Admin,
}
