using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Tracker.Sdk.Client;
using Tracker.Sdk.Contracts;
using Tracker.Sdk.Internal;

namespace Tracker.Sdk;

/// <summary>A run being logged from a training script: <c>Log</c> returns at once, a background loop sends, spools and replays.</summary>
/// <remarks>
/// Memory is bounded by a ring of <see cref="RunOptions.ChannelCapacity"/> slots of 40 bytes, allocated once (100,000 by
/// default: 4,000,000 bytes), plus a reused serialization buffer per send loop (a 10,000-point batch is about 0.7 MB; the buffer grows to 1 MiB).
/// </remarks>
public sealed partial class TrackerRun : IAsyncDisposable
{
    private static readonly IReadOnlyDictionary<string, double> NoSummary = new Dictionary<string, double>();
    private readonly RunTransport? _transport;
    private readonly RunWarnings _warnings;
    private readonly TimeSpan _flushTimeout;
    private RunAdvice _advice = RunAdvice.Continue;
    private int _finishing;
    private long _lastLogTick; // Environment.TickCount64 of the last Log: monotonic, unlike the points' wall time

    private TrackerRun(string id, string project, string? name, TrackerMode mode, RunTransport? transport, RunWarnings warnings, TimeSpan flushTimeout)
    {
        Id = id;
        Project = project;
        Name = name;
        Mode = mode;
        _transport = transport;
        _warnings = warnings;
        _flushTimeout = flushTimeout;
        if (transport is not null)
            transport.AdviceReceived += OnAdvice;
        UnwindDetector.Ensure();
        _lastLogTick = Environment.TickCount64 + 1;
    }

    /// <summary>The run's id.</summary>
    public string Id { get; }

    /// <summary>The project slug.</summary>
    public string Project { get; }

    /// <summary>Display name (the server's, when it was reached at start).</summary>
    public string? Name { get; }

    /// <summary>Online, offline or disabled.</summary>
    public TrackerMode Mode { get; }

    /// <summary>The run's spool file (it exists only while or after something was spooled).</summary>
    public string? SpoolPath => _transport?.SpoolPath;

    /// <summary>The latest early-stopping advice; <see cref="RunAdvice.Continue"/> until the server says otherwise.</summary>
    public RunAdvice Advice => Volatile.Read(ref _advice);

    /// <summary>Raised (on the SDK's background loop) when <see cref="Advice"/> changes.</summary>
    public event EventHandler<RunAdvice>? AdviceChanged;

    /// <summary>The last logged value of each metric (as taken by the background loop).</summary>
    public IReadOnlyDictionary<string, double> Summary => _transport?.SummarySnapshot() ?? NoSummary;

    /// <summary>The state the run ended with; null while it runs.</summary>
    public RunState? FinalState { get; private set; }

    /// <summary>Points the server has acknowledged so far.</summary>
    public long SentPoints => _transport?.SentPoints ?? 0;

    /// <summary>Starts (or resumes) a run. Fails only on a programming or configuration error, never because the server is down.</summary>
    /// <exception cref="InvalidOperationException">The resume mode forbids the run the server holds (or lacks).</exception>
    /// <exception cref="TrackerApiException">The server refused the run (bad key, bad project name).</exception>
    public static async Task<TrackerRun> StartAsync(RunOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new RunOptions();
        var warnings = new RunWarnings(options.Logger, options.OnWarning);
        var home = TrackerConfig.ResolveHome(options.TrackerHome);
        var config = TrackerConfig.Load(home);
        var mode = options.Mode ?? ParseMode(Environment.GetEnvironmentVariable("TRACKER_MODE")) ?? TrackerMode.Online;
        var project = options.Project ?? NonEmpty(Environment.GetEnvironmentVariable("TRACKER_PROJECT")) ?? config.Project ?? "default";
        var id = options.Id ?? RunIdRule.New(12);
        if (!RunIdRule.IsValid(id))
            throw new ArgumentException($"Run id '{id}' {RunIdRule.Description}.", nameof(options));
        if (mode == TrackerMode.Disabled)
            return new TrackerRun(id, project, options.Name, mode, null, warnings, options.FlushTimeout);

        var url = options.Url ?? ToUri(Environment.GetEnvironmentVariable("TRACKER_URL")) ?? ToUri(config.Url);
        var apiKey = options.ApiKey ?? NonEmpty(Environment.GetEnvironmentVariable("TRACKER_API_KEY")) ?? config.ApiKey;
        if (mode == TrackerMode.Online && url is null)
        {
            warnings.Warn("no server URL (RunOptions.Url, TRACKER_URL or `tracker login`); logging offline");
            mode = TrackerMode.Offline;
        }
        var header = new SpoolHeader(
            1,
            id,
            project,
            options.Resume,
            new CreateRunRequest(id, options.Name, options.Group, options.Tags, ToJson(options.Config), options.Notes)
        );
        var spoolDir = options.SpoolDir ?? Path.Combine(home, "spool");

        RunServer? server = null;
        var ready = false;
        var name = options.Name;
        if (mode == TrackerMode.Online)
        {
            server = new RunServer(url!, apiKey, id, options);
            try
            {
                var run = await RunLifecycle
                    .EnsureAsync(server.Client, header, deferred: false, generatedId: options.Id is null, cancellationToken)
                    .ConfigureAwait(false);
                name = run.Name;
                ready = true;
            }
            catch (Exception e) when (RunServer.IsTransient(e, cancellationToken))
            {
                warnings.Once("outage", $"server unreachable at start ({e.Message}); spooling to {SpoolFile.PathFor(spoolDir, id)} until it answers");
            }
            catch
            {
                server.Dispose();
                throw;
            }
        }
        var transport = new RunTransport(header, server, ready, spoolDir, options, warnings);
        transport.Start();
        var started = new TrackerRun(id, project, name, mode, transport, warnings, options.FlushTimeout);
        if (mode == TrackerMode.Online)
            started._artifacts = new ArtifactUploader(url!, apiKey, id, spoolDir, options, warnings);
        return started;
    }

    /// <summary>An offline run whose send loops hand what they drain to <paramref name="sink"/> instead of the server or the
    /// spool: the seam through which the SDK benchmarks measure <c>Log</c> on the training thread alone.</summary>
    internal static TrackerRun StartWithSink(RunOptions options, IBatchSink sink)
    {
        var warnings = new RunWarnings(options.Logger, options.OnWarning);
        var project = options.Project ?? "default";
        var header = new SpoolHeader(1, options.Id ?? RunIdRule.New(12), project, options.Resume, new CreateRunRequest());
        var transport = new RunTransport(header, null, false, options.SpoolDir ?? Path.GetTempPath(), options, warnings, sink);
        transport.Start();
        return new TrackerRun(header.RunId, project, options.Name, TrackerMode.Offline, transport, warnings, options.FlushTimeout);
    }

    /// <summary>Flushes (for at most <see cref="RunOptions.FlushTimeout"/>) and ends the run with <paramref name="state"/>; what is not sent by then stays in the spool, and a line says so.</summary>
    public async Task FinishAsync(RunState state = RunState.Finished)
    {
        if (Interlocked.Exchange(ref _finishing, 1) != 0)
            return;
        FinalState = state;
        if (_transport is null)
            return;
        var watch = Stopwatch.StartNew();
        var report = await _transport.CompleteAsync(_flushTimeout).ConfigureAwait(false);
        await FinishArtifactsAsync(_flushTimeout - watch.Elapsed).ConfigureAwait(false);
        var stateSet = false;
        if (_transport.CanFinishOnServer)
        {
            var left = _flushTimeout - watch.Elapsed;
            using var cts = new CancellationTokenSource(left > TimeSpan.FromSeconds(2) ? left : TimeSpan.FromSeconds(2));
            try
            {
                await _transport.Server!.Client.UpdateRunAsync(Id, new UpdateRunRequest(State: state), cts.Token).ConfigureAwait(false);
                stateSet = true;
            }
            catch (Exception e) when (RunServer.IsTransient(e, CancellationToken.None) || e is TrackerApiException)
            {
                _warnings.Warn($"could not set run {Id} to {state}: {e.Message}");
            }
        }
        if (Mode == TrackerMode.Offline)
        {
            _transport.CloseSpool(state, delete: false);
            _warnings.Info($"run {Id} saved offline in {report.SpoolPath}; upload it with `tracker sync`");
        }
        else if (report.Complete && stateSet)
        {
            _transport.CloseSpool(null, delete: true);
        }
        else
        {
            _transport.CloseSpool(state, delete: false);
            _warnings.Warn(
                report.UnsentPoints > 0
                    ? $"{report.UnsentPoints} points ({report.UnsentBatches} batches) of run {Id} not sent within {_flushTimeout.TotalSeconds:0.#} s; kept in {report.SpoolPath}; upload them with `tracker sync`"
                    : $"run {Id} ended, but its spool {report.SpoolPath} still holds points or its final state; upload it with `tracker sync`"
            );
        }
        await _transport.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>Finishes an unfinished run: <see cref="RunState.Failed"/> while an exception unwinds, else <see cref="RunState.Finished"/>.</summary>
    /// <remarks>Inside <c>await using</c> "unwinding" means: an exception was thrown outside the SDK after the last logged point. Call <see cref="FinishAsync"/> to be explicit.</remarks>
    public async ValueTask DisposeAsync()
    {
        if (Volatile.Read(ref _finishing) != 0)
            return;
        var unwinding = UnwindDetector.ThrownSince(Volatile.Read(ref _lastLogTick));
        await FinishAsync(unwinding ? RunState.Failed : RunState.Finished).ConfigureAwait(false);
    }

    private void OnAdvice(AdviceDto dto)
    {
        var advice = new RunAdvice(
            dto.ShouldStop,
            dto.Reason ?? (dto.ShouldStop ? "stop" : "continue"),
            dto.BestStep,
            dto.Pattern,
            dto.Action ?? (dto.ShouldStop ? "stop training" : "keep training"),
            dto.BestCheckpoint
        );
        var previous = Interlocked.Exchange(ref _advice, advice);
        if (previous != advice)
            AdviceChanged?.Invoke(this, advice);
    }

    private static TrackerMode? ParseMode(string? text) => Enum.TryParse<TrackerMode>(text, ignoreCase: true, out var mode) ? mode : null;

    private static string? NonEmpty(string? s) => string.IsNullOrEmpty(s) ? null : s;

    private static Uri? ToUri(string? s) => string.IsNullOrWhiteSpace(s) ? null : new Uri(s, UriKind.Absolute);

    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "Config is an arbitrary user object; trimmed or AOT apps pass a JsonElement.")]
    [UnconditionalSuppressMessage("AOT", "IL3050", Justification = "Config is an arbitrary user object; trimmed or AOT apps pass a JsonElement.")]
    private static JsonElement? ToJson(object? config) =>
        config switch
        {
            null => null,
            JsonElement e => e,
            _ => JsonSerializer.SerializeToElement(
                config,
                config.GetType(),
                new JsonSerializerOptions(JsonSerializerDefaults.Web)
                {
                    TypeInfoResolver = new DefaultJsonTypeInfoResolver(),
                    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
                }
            ),
        };
}
