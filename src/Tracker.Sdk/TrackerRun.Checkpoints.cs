using System.Globalization;
using Tracker.Sdk.Contracts;
using Tracker.Sdk.Internal;

namespace Tracker.Sdk;

public sealed partial class TrackerRun
{
    private ArtifactUploader? _artifacts;

    /// <summary>Artifacts saved and not yet acknowledged by the server.</summary>
    public int PendingArtifacts => _artifacts?.Pending ?? 0;

    /// <summary>Saves a checkpoint of <paramref name="step"/>: copies the stream (from its position to its end) into the run's
    /// spool and returns; a background loop uploads it as <c>checkpoints/step-{step}.ckpt</c> (kind <c>checkpoint</c>), retrying
    /// through an outage. The server keeps the best and last ones as the run's <c>tracker.checkpoints</c> config says.</summary>
    /// <returns>The artifact path the checkpoint will have.</returns>
    public async Task<string> SaveCheckpointAsync(long step, Stream data, string? name = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentOutOfRangeException.ThrowIfNegative(step);
        var path = name ?? string.Create(CultureInfo.InvariantCulture, $"checkpoints/step-{step:D8}.ckpt");
        if (_artifacts is not null)
            await _artifacts.SaveAsync(path, step, "checkpoint", data, cancellationToken).ConfigureAwait(false);
        return path;
    }

    /// <summary>Saves the file at <paramref name="file"/> as the checkpoint of <paramref name="step"/> (see the stream overload).</summary>
    public async Task<string> SaveCheckpointAsync(long step, string file, string? name = null, CancellationToken cancellationToken = default)
    {
        await using var data = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0);
        return await SaveCheckpointAsync(step, data, name, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Saves any file of the run (a plot, an exported model) under <paramref name="path"/>, uploaded in the background.</summary>
    public async Task SaveArtifactAsync(string path, Stream data, long? step = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (_artifacts is not null)
            await _artifacts.SaveAsync(path, step, null, data, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The checkpoint to restore (the best by the early-stopping monitor), or null when there is none yet or no server;
    /// call it before <see cref="FinishAsync"/>.</summary>
    public async Task<ArtifactDto?> GetBestCheckpointAsync(CancellationToken cancellationToken = default) =>
        _transport?.Server is { } server ? await server.Client.GetBestCheckpointAsync(Id, cancellationToken).ConfigureAwait(false) : null;

    /// <summary>Downloads the best checkpoint to <paramref name="destination"/>; null when there is none.</summary>
    public async Task<ArtifactDto?> DownloadBestCheckpointAsync(string destination, CancellationToken cancellationToken = default)
    {
        var best = await GetBestCheckpointAsync(cancellationToken).ConfigureAwait(false);
        if (best is null)
            return null;
        await _transport!.Server!.Client.DownloadArtifactAsync(Id, best.Path, destination, cancellationToken).ConfigureAwait(false);
        return best;
    }

    /// <summary>Uploads what is still spooled (bounded by <paramref name="timeout"/>) and stops the uploader.</summary>
    private async Task FinishArtifactsAsync(TimeSpan timeout)
    {
        if (_artifacts is null)
            return;
        if (!await _artifacts.FlushAsync(timeout).ConfigureAwait(false))
        {
            _warnings.Warn($"{_artifacts.Pending} artifacts of run {Id} not uploaded; they stay in {_artifacts.SpoolFolder} and upload when the run resumes");
        }
        await _artifacts.DisposeAsync().ConfigureAwait(false);
    }
}
