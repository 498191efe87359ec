using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Tracker.Server.Hosting;
using Tracker.Server.Storage;

namespace Tracker.Server.Hubs;

/// <summary>Every <see cref="HubOptions.KeyCheckInterval"/>, asks the database (not the authentication cache) which keys
/// with open hub connections are still valid, and closes the connections of keys that were deleted (on any replica)
/// or have expired.</summary>
internal sealed partial class HubKeySweeper(
    HubKeyConnections connections,
    IServiceScopeFactory scopes,
    TimeProvider time,
    IOptions<TrackerOptions> options,
    ILogger<HubKeySweeper> logger
) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = options.Value.Hub.KeyCheckInterval;
        if (interval <= TimeSpan.Zero)
            return;
        using var timer = new PeriodicTimer(interval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await SweepAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogSweepFailed(logger, e);
            }
        }
    }

    /// <summary>One check; returns the number of connections closed.</summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        var ids = connections.KeyIds;
        if (ids.Count == 0)
            return 0;
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TrackerDbContext>();
        var valid = await db
            .ApiKeys.AsNoTracking()
            .Where(k => ids.Contains(k.Id) && (k.ExpiresMs == null || k.ExpiresMs > now))
            .Select(k => k.Id)
            .ToListAsync(cancellationToken);
        var closed = 0;
        foreach (var id in ids.Except(valid, StringComparer.Ordinal))
        {
            var n = connections.Close(id);
            if (n > 0)
                LogClosed(logger, n, id);
            closed += n;
        }
        return closed;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Closed {Count} hub connection(s) of key {KeyId}: revoked or expired")]
    private static partial void LogClosed(ILogger logger, int count, string keyId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Hub key check failed; retrying at the next tick")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception);
}
