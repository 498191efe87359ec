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

    /// <summary>A file size in binary units: <c>512 B</c>, <c>1.5 KiB</c>, <c>23.4 MiB</c>, <c>1.00 GiB</c>.</summary>
    public static string Bytes(long bytes)
    {
        if (bytes < 1024)
            return $"{bytes} B";
        string[] units = ["KiB", "MiB", "GiB", "TiB"];
        var value = bytes / 1024.0;
        var unit = 0;
        while (value >= 1024 && unit < units.Length - 1)
        {
            value /= 1024;
            unit++;
        }
        return (
                value >= 100 ? value.ToString("0", CultureInfo.InvariantCulture)
                : value >= 10 ? value.ToString("0.0", CultureInfo.InvariantCulture)
                : value.ToString("0.00", CultureInfo.InvariantCulture)
            )
            + " "
            + units[unit];
    }

    /// <summary>A time, local, to the second.</summary>
    public static string Time(DateTimeOffset? t) => t?.ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) ?? "";

    /// <summary>A duration such as <c>3m 12s</c>, <c>4.2s</c> or <c>180 ms</c>: a run that took less than a second is not
    /// <c>0s</c> (a hosted run of a small problem ends within milliseconds).</summary>
    public static string Duration(TimeSpan d) =>
        d <= TimeSpan.Zero ? "0 ms"
        : d.TotalHours >= 1 ? $"{(int)d.TotalHours}h {d.Minutes}m"
        : d.TotalMinutes >= 1 ? $"{d.Minutes}m {d.Seconds}s"
        : d.TotalSeconds >= 10 ? $"{d.Seconds}s"
        : d.TotalSeconds >= 1 ? $"{d.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)}s"
        : $"{Math.Max(1, (int)Math.Round(d.TotalMilliseconds))} ms";

    /// <summary>How long a run ran: from its start (a hosted run's, after its wait in the queue; else its creation) to its end; while it runs, to now; a run that ended without an end
    /// time (an old row) to its last update or its last logged point, whichever is later.</summary>
    public static TimeSpan RunDuration(Sdk.Contracts.RunDto run) => RunDuration(run, DateTimeOffset.UtcNow);

    /// <summary>How long a run ran, as of <paramref name="now"/>.</summary>
    public static TimeSpan RunDuration(Sdk.Contracts.RunDto run, DateTimeOffset now)
    {
        var end = run.EndedAt
            ?? (
                run.State == Sdk.Contracts.RunState.Running ? now
                : run.Summary.Count == 0 ? run.UpdatedAt
                : Max(run.UpdatedAt, DateTimeOffset.FromUnixTimeMilliseconds(run.Summary.Values.Max(s => s.LastTime)))
            );
        return end - (run.StartedAt ?? run.CreatedAt);
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
}
