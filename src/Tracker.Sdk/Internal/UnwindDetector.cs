namespace Tracker.Sdk.Internal;

/// <summary>
/// Tells whether an exception is probably unwinding through the script when a run is disposed.
/// </summary>
/// <remarks>
/// <c>await using</c> catches the exception before it awaits <c>DisposeAsync</c> and rethrows it after, so
/// <see cref="System.Runtime.InteropServices.Marshal.GetExceptionPointers"/> sees nothing there. Instead this records the
/// time of the last first-chance exception thrown outside the SDK's own loops; a run disposed after such an exception,
/// with no point logged since, ends as failed.
/// </remarks>
internal static class UnwindDetector
{
    private static readonly AsyncLocal<bool> InSdk = new();
    private static long _lastForeignExceptionMs = long.MinValue;

    static UnwindDetector() => AppDomain.CurrentDomain.FirstChanceException += (_, _) =>
    {
        if (!InSdk.Value) Volatile.Write(ref _lastForeignExceptionMs, LoggedPoint.NowMs());
    };

    /// <summary>Subscribes to first-chance exceptions (idempotent).</summary>
    public static void Ensure() => _ = Volatile.Read(ref _lastForeignExceptionMs);

    /// <summary>Marks the current flow (a background loop) as the SDK's own, whose exceptions do not count.</summary>
    public static void MarkSdkFlow() => InSdk.Value = true;

    /// <summary>True when an exception outside the SDK was thrown at or after <paramref name="sinceMs"/>.</summary>
    public static bool ThrownSince(long sinceMs) =>
        Marshal_GetExceptionPointers() || Volatile.Read(ref _lastForeignExceptionMs) >= sinceMs;

    private static bool Marshal_GetExceptionPointers() =>
        System.Runtime.InteropServices.Marshal.GetExceptionPointers() != IntPtr.Zero;
}
