namespace Tracker.Server.Components;

internal sealed partial class SignInPageWarmUp
{
    [LoggerMessage(Level = LogLevel.Debug, Message = "Warming up the sign-in page failed: {Reason}")]
    private static partial void WarmUpFailed(ILogger logger, string reason);
}
