using System.Globalization;

namespace Tracker.Client.Components;

/// <summary>Display formats shared by the pages.</summary>
public static class Format
{
    /// <summary>A metric value, compact.</summary>
    public static string Value(double? v) =>
        v switch
        {
            null => "",
            { } d when double.IsNaN(d) => "NaN",
            { } d when double.IsInfinity(d) => d > 0 ? "∞" : "−∞",
            { } d when d != 0 && (Math.Abs(d) < 1e-3 || Math.Abs(d) >= 1e6) => d.ToString("0.###e+0", CultureInfo.InvariantCulture),
            { } d => d.ToString("0.####", CultureInfo.InvariantCulture),
        };

    /// <summary>A time, local, to the second.</summary>
    public static string Time(DateTimeOffset? t) => t?.ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) ?? "";

    /// <summary>A duration such as <c>3m 12s</c>.</summary>
    public static string Duration(TimeSpan d) =>
        d.TotalHours >= 1 ? $"{(int)d.TotalHours}h {d.Minutes}m"
        : d.TotalMinutes >= 1 ? $"{d.Minutes}m {d.Seconds}s"
        : $"{Math.Max(0, d.Seconds)}s";

    /// <summary>How long a run ran (until now while it runs).</summary>
    public static TimeSpan RunDuration(Sdk.Contracts.RunDto run) =>
        (run.EndedAt ?? (run.State == Sdk.Contracts.RunState.Running ? DateTimeOffset.UtcNow : run.UpdatedAt)) - run.CreatedAt;
}
