namespace Tracker.Sdk.Internal;

/// <summary>One point as it waits in the channel: 32 bytes (a key reference, step, value, wall time in epoch ms).</summary>
internal readonly record struct LoggedPoint(string Key, long Step, double Value, long Time)
{
    /// <summary>Bytes one point takes in the channel's backing array.</summary>
    public const int SizeInBytes = 32;

    private const long UnixEpochTicks = 621_355_968_000_000_000;

    /// <summary>The wall clock in epoch milliseconds, without allocating.</summary>
    public static long NowMs() => (DateTime.UtcNow.Ticks - UnixEpochTicks) / TimeSpan.TicksPerMillisecond;
}
