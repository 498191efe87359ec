namespace Tracker.Sdk.Internal;

/// <summary>One point as it waits in the ring: 32 bytes (a key reference, step, value, wall time in epoch ms).</summary>
internal readonly record struct LoggedPoint(string Key, long Step, double Value, long Time)
{
    /// <summary>Bytes one point takes.</summary>
    public const int SizeInBytes = 32;

    private const long UnixEpochTicks = 621_355_968_000_000_000;
    private static long _tickOffsetMs = ComputeOffset();

    /// <summary>The wall clock in epoch milliseconds, cheaply: the coarse monotonic tick plus an offset to the wall clock.</summary>
    /// <remarks>
    /// <see cref="Environment.TickCount64"/> costs a few nanoseconds where <see cref="DateTime.UtcNow"/> costs tens; its
    /// resolution is the kernel tick (1–4 ms). The send loops re-anchor the offset (<see cref="Resync"/>), so a wall-clock
    /// step (NTP) shows up within one batch.
    /// </remarks>
    public static long NowMs() => Environment.TickCount64 + Volatile.Read(ref _tickOffsetMs);

    /// <summary>Re-anchors <see cref="NowMs"/> on the wall clock.</summary>
    public static void Resync() => Volatile.Write(ref _tickOffsetMs, ComputeOffset());

    private static long ComputeOffset() => (DateTime.UtcNow.Ticks - UnixEpochTicks) / TimeSpan.TicksPerMillisecond - Environment.TickCount64;
}
