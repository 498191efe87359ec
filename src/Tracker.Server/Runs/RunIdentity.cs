using System.Security.Cryptography;
using Tracker.Sdk.Contracts;

namespace Tracker.Server.Runs;

/// <summary>New run ids (8 URL-safe characters) and W&amp;B-style display names (<c>adjective-noun-N</c>).</summary>
internal static class RunIdentity
{
    private static readonly string[] Adjectives =
    [
        "amber",
        "brisk",
        "calm",
        "dapper",
        "eager",
        "fluent",
        "gentle",
        "hardy",
        "icy",
        "jolly",
        "keen",
        "lucid",
        "mellow",
        "nimble",
        "olive",
        "proud",
        "quiet",
        "rapid",
        "sunny",
        "tidy",
        "upbeat",
        "vivid",
        "witty",
        "young",
        "zesty",
    ];

    private static readonly string[] Nouns =
    [
        "aurora",
        "breeze",
        "canyon",
        "delta",
        "ember",
        "forest",
        "glacier",
        "harbor",
        "island",
        "jungle",
        "kestrel",
        "lagoon",
        "meadow",
        "nebula",
        "ocean",
        "prairie",
        "quasar",
        "river",
        "summit",
        "tundra",
        "valley",
        "willow",
        "zenith",
    ];

    public static string NewId() => RunIdRule.New(8);

    public static string NewName(int ordinal) =>
        $"{Adjectives[RandomNumberGenerator.GetInt32(Adjectives.Length)]}-{Nouns[RandomNumberGenerator.GetInt32(Nouns.Length)]}-{ordinal}";
}
