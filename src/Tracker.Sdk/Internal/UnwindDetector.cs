namespace Tracker.Sdk.Internal;

/// <summary>
/// Tells whether an exception is probably unwinding through the script when a run is disposed.
/// </summary>
/// <remarks>
/// <c>await using</c> catches the exception before it awaits <c>DisposeAsync</c> and rethrows it after, so
/// <see cref="System.Runtime.InteropServices.Marshal.GetExceptionPointers"/> sees nothing there. Instead this records, per
/// thread, the monotonic tick of the last first-chance exception thrown outside the SDK's own loops; a run disposed on a thread
/// that threw such an exception after the run's last logged point ends as failed. Per thread, because the exception
/// that ends a script is thrown (or rethrown by <c>await</c>) on the thread that then catches it and disposes the
/// run, while exceptions that other threads throw and handle (a web server in the same process, a library's retries)
/// say nothing about the script.
/// </remarks>
internal static class UnwindDetector
{
    private static readonly AsyncLocal<bool> InSdk = new();

    [ThreadStatic]
    private static long _lastForeignExceptionTick;

    private static readonly bool Subscribed = Subscribe();

    private static bool Subscribe()
    {
        AppDomain.CurrentDomain.FirstChanceException += (_, _) =>
        {
            if (!InSdk.Value)
                _lastForeignExceptionTick = Environment.TickCount64;
        };
        return true;
    }

    /// <summary>Subscribes to first-chance exceptions (idempotent).</summary>
    public static void Ensure() => _ = Subscribed;

    /// <summary>Marks the current flow (a background loop) as the SDK's own, whose exceptions do not count.</summary>
    public static void MarkSdkFlow() => InSdk.Value = true;

    /// <summary>True when an exception outside the SDK was thrown on this thread at or after <paramref name="sinceTick"/>
    /// (<see cref="Environment.TickCount64"/>: monotonic; the SDK's wall clock is re-anchored by the send loops and can
    /// step back a tick, which once made an exception look older than the point logged just before it).</summary>
    public static bool ThrownSince(long sinceTick) => Marshal_GetExceptionPointers() || _lastForeignExceptionTick >= sinceTick;

    private static bool Marshal_GetExceptionPointers() => System.Runtime.InteropServices.Marshal.GetExceptionPointers() != IntPtr.Zero;
}
