using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using Tracker.Server.Analysis;
using Tracker.Server.Artifacts;
using Tracker.Server.Auth;
using Tracker.Server.Hosting;
using Tracker.Server.Hubs;
using Tracker.Server.Runs;

namespace Tracker.Server.Replicas;

/// <summary>The one way to drop cached state that a write made stale (a deleted key, a deleted run, a run whose analysis
/// must be rebuilt): applies it on this replica at once and, when <c>Tracker:Redis</c> is set, publishes it on the
/// deployment's Redis channel so every other replica applies it too (within milliseconds; 1 s is the promise).</summary>
internal sealed partial class ReplicaInvalidations(
    ApiKeyStore keys,
    HubKeyConnections hubKeys,
    AnalyzerHost analyzers,
    CheckpointRetention checkpoints,
    RunProjectLookup runProjects,
    IOptions<TrackerOptions> options,
    IConfiguration configuration,
    ILogger<ReplicaInvalidations> logger
) : IHostedService, IAsyncDisposable
{
    private const string Key = "key";
    private const string Run = "run";
    private const string Analysis = "analysis";
    private readonly string _sender = RandomNumberGenerator.GetHexString(12);
    private readonly RedisChannel _channel = RedisChannel.Literal(ReplicaChannels.Prefix(configuration) + "invalidate");
    private ConnectionMultiplexer? _redis;

    /// <summary>A key was deleted (revoked): its cached record goes and its live connections close.</summary>
    public Task KeyDeletedAsync(string keyId, string hash) => ApplyAndPublishAsync(Key, [keyId, hash]);

    /// <summary>A run was deleted: its analyzers, checkpoint state and project look-up go.</summary>
    public Task RunDeletedAsync(string runId) => ApplyAndPublishAsync(Run, [runId]);

    /// <summary>The runs' analysis must be rebuilt from storage (changed project defaults, a restarted experiment).</summary>
    public Task AnalysisResetAsync(IReadOnlyCollection<string> runIds) => runIds.Count == 0 ? Task.CompletedTask : ApplyAndPublishAsync(Analysis, runIds);

    /// <inheritdoc />
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(options.Value.Redis))
            return;
        var config = ConfigurationOptions.Parse(options.Value.Redis);
        config.AbortOnConnectFail = false; // a replica starts while Redis is briefly away and subscribes when it is back
        _redis = await ConnectionMultiplexer.ConnectAsync(config).ConfigureAwait(false);
        var subscriber = _redis.GetSubscriber();
        await subscriber.SubscribeAsync(_channel, (_, message) => Receive(message)).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_redis is not null)
            await _redis.DisposeAsync().ConfigureAwait(false);
    }

    private async Task ApplyAndPublishAsync(string kind, IReadOnlyCollection<string> args)
    {
        Apply(kind, args);
        if (_redis is null)
            return;
        var message = string.Join('\n', [_sender, kind, .. args]);
        try
        {
            await _redis.GetSubscriber().PublishAsync(_channel, message).ConfigureAwait(false);
        }
        catch (RedisException e)
        {
            // The others still drop the entry when their cache lifetime ends (30 s for keys) or at their key sweep.
            LogPublishFailed(logger, kind, e);
        }
    }

    private void Receive(RedisValue message)
    {
        var parts = ((string?)message ?? "").Split('\n');
        if (parts.Length < 3 || parts[0] == _sender)
            return;
        Apply(parts[1], parts[2..]);
    }

    private void Apply(string kind, IReadOnlyCollection<string> args)
    {
        switch (kind)
        {
            case Key when args.Count == 2:
                keys.Forget(args.Last());
                hubKeys.Close(args.First());
                break;
            case Run:
                foreach (var runId in args)
                {
                    analyzers.Forget(runId);
                    checkpoints.Forget(runId);
                    runProjects.Forget(runId);
                }
                break;
            case Analysis:
                foreach (var runId in args)
                    analyzers.Forget(runId);
                break;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Publishing the {Kind} invalidation to the other replicas failed")]
    private static partial void LogPublishFailed(ILogger logger, string kind, Exception exception);
}
