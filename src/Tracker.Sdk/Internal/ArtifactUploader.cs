using System.Buffers;
using System.Security.Cryptography;
using System.Text.Json;
using System.Threading.Channels;
using Tracker.Sdk.Client;

namespace Tracker.Sdk.Internal;

/// <summary>Uploads a run's artifacts in the background. <see cref="SaveAsync"/> copies the bytes into the run's artifact
/// spool (<c>{spool}/{run}.artifacts/{n}.bin</c> with a <c>{n}.json</c> sidecar, each renamed into place when whole) and
/// returns; a loop uploads them one at a time, retrying through an outage with backoff, and deletes each copy once the
/// server has it. Copies left by a crashed process are uploaded when a run with the same id starts again.</summary>
internal sealed class ArtifactUploader : IAsyncDisposable
{
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(10);
    private readonly Channel<string> _queue = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _stop = new();
    private readonly string _runId;
    private readonly string _dir;
    private readonly RunWarnings _warnings;
    private readonly HttpMessageHandler _handler;
    private readonly bool _ownsHandler;
    private readonly HttpClient _http;
    private readonly TrackerClient _client;
    private readonly TimeSpan _firstBackoff;
    private readonly Task _loop;
    private long _next;
    private int _pending;

    public ArtifactUploader(Uri url, string? apiKey, string runId, string spoolDir, RunOptions options, RunWarnings warnings)
    {
        _runId = runId;
        _dir = Path.Combine(spoolDir, runId + ".artifacts");
        _warnings = warnings;
        _ownsHandler = options.HttpHandler is null;
        _handler = options.HttpHandler ?? TrackerRetry.CreateSocketsHandler();
        _http = TrackerRetry.CreateHttpClient(url, apiKey, _handler, pipeline: null); // no timeout: a checkpoint may be large
        _client = new TrackerClient(_http);
        _firstBackoff = options.RetryBaseDelay > TimeSpan.Zero ? options.RetryBaseDelay : TimeSpan.FromMilliseconds(200);
        foreach (var leftover in Leftovers())
            Enqueue(leftover);
        _loop = Task.Run(() => RunAsync(_stop.Token));
    }

    /// <summary>Artifacts spooled and not yet acknowledged by the server.</summary>
    public int Pending => Volatile.Read(ref _pending);

    /// <summary>The run's artifact spool folder.</summary>
    public string SpoolFolder => _dir;

    /// <summary>Copies <paramref name="data"/> (from its position to its end) into the spool, hashing it, and queues the upload.</summary>
    public async Task SaveAsync(string path, long? step, string? kind, Stream data, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(_dir);
        var n = Interlocked.Increment(ref _next);
        var stem = Path.Combine(_dir, n.ToString("D8", System.Globalization.CultureInfo.InvariantCulture));
        var buffer = ArrayPool<byte>.Shared.Rent(1 << 20);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        try
        {
            await using (var copy = new FileStream(stem + ".bin.tmp", FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 0))
            {
                int read;
                while ((read = await data.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
                {
                    hash.AppendData(buffer, 0, read);
                    await copy.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
        File.Move(stem + ".bin.tmp", stem + ".bin", overwrite: true);
        var sidecar = new SpooledArtifact(path, step, kind, Convert.ToHexStringLower(hash.GetHashAndReset()));
        await File.WriteAllBytesAsync(
                stem + ".json.tmp",
                JsonSerializer.SerializeToUtf8Bytes(sidecar, ArtifactSpoolJsonContext.Default.SpooledArtifact),
                cancellationToken
            )
            .ConfigureAwait(false);
        File.Move(stem + ".json.tmp", stem + ".json", overwrite: true);
        Enqueue(stem);
    }

    /// <summary>Waits until every spooled artifact is uploaded, or <paramref name="timeout"/> passed; true when none is left.</summary>
    public async Task<bool> FlushAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (Pending > 0 && DateTime.UtcNow < deadline)
            await Task.Delay(50).ConfigureAwait(false);
        return Pending == 0;
    }

    private void Enqueue(string stem)
    {
        Interlocked.Increment(ref _pending);
        _queue.Writer.TryWrite(stem);
    }

    /// <summary>Complete artifacts (both files present) left in the spool by an earlier process of this run, oldest first.</summary>
    private List<string> Leftovers()
    {
        if (!Directory.Exists(_dir))
            return [];
        var stems = Directory
            .GetFiles(_dir, "*.json")
            .Select(f => f[..^".json".Length])
            .Where(s => File.Exists(s + ".bin"))
            .Order(StringComparer.Ordinal)
            .ToList();
        foreach (var stem in stems)
        {
            if (long.TryParse(Path.GetFileName(stem), System.Globalization.CultureInfo.InvariantCulture, out var n) && n > _next)
                _next = n;
        }
        return stems;
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var stem in _queue.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                await UploadWithRetriesAsync(stem, cancellationToken).ConfigureAwait(false);
                Interlocked.Decrement(ref _pending);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested) { }
    }

    private async Task UploadWithRetriesAsync(string stem, CancellationToken cancellationToken)
    {
        var backoff = _firstBackoff;
        while (true)
        {
            try
            {
                var sidecar = JsonSerializer.Deserialize(
                    await File.ReadAllBytesAsync(stem + ".json", cancellationToken).ConfigureAwait(false),
                    ArtifactSpoolJsonContext.Default.SpooledArtifact
                )!;
                await using (var file = new FileStream(stem + ".bin", FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0))
                {
                    await _client
                        .PutArtifactAsync(_runId, sidecar.Path, file, sidecar.Step, sidecar.Kind, sidecar.Sha256, cancellationToken)
                        .ConfigureAwait(false);
                }
                _warnings.Reset("artifact-outage");
                Delete(stem);
                return;
            }
            catch (Exception e) when (RunServer.IsTransient(e, cancellationToken))
            {
                _warnings.Once("artifact-outage", $"artifact upload failed ({e.Message}); retrying, the copy stays in {_dir}");
                await Task.Delay(backoff, cancellationToken).ConfigureAwait(false);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
            }
            catch (TrackerApiException e)
            {
                _warnings.Warn($"the server refused artifact {Path.GetFileName(stem)} of run {_runId}: {e.Message}; dropped");
                Delete(stem);
                return;
            }
        }
    }

    private static void Delete(string stem)
    {
        File.Delete(stem + ".json");
        File.Delete(stem + ".bin");
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        _stop.Dispose();
        _http.Dispose();
        if (_ownsHandler)
            _handler.Dispose();
        if (Directory.Exists(_dir) && !Directory.EnumerateFileSystemEntries(_dir).Any())
            Directory.Delete(_dir);
    }
}
