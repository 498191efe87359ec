using Tracker.Sdk.Client;
using Tracker.Sdk.Contracts;
using Tracker.Sdk.Internal;

namespace Tracker.Sdk.Sync;

/// <summary>Uploads spool files (offline runs, and points left over by outages): creates or resumes each run, replays its batches in order, sets its final state.</summary>
/// <remarks>Replays are idempotent: every batch carries the sequence number it was first sent with, and the server stores a (run, seq) once.</remarks>
public sealed class SpoolSync(TrackerClient client)
{
    /// <summary>The spool files in <paramref name="dir"/> (the default spool folder when null), oldest first.</summary>
    public static IReadOnlyList<string> FindSpools(string? dir = null)
    {
        dir ??= Path.Combine(TrackerConfig.ResolveHome(), "spool");
        if (File.Exists(dir))
            return [dir];
        if (!Directory.Exists(dir))
            return [];
        return new DirectoryInfo(dir).GetFiles("*.spool").OrderBy(f => f.LastWriteTimeUtc).Select(f => f.FullName).ToList();
    }

    /// <summary>How many points a spool file holds (for a progress bar).</summary>
    public static long CountPoints(string path)
    {
        try
        {
            return SpoolContent.Read(path).PointCount;
        }
        catch (InvalidDataException)
        {
            return 0;
        }
    }

    /// <summary>Uploads one spool file; deletes it afterwards unless <paramref name="keep"/>. <paramref name="progress"/> receives points sent.</summary>
    public async Task<SyncResult> UploadAsync(string path, IProgress<long>? progress = null, bool keep = false, CancellationToken cancellationToken = default)
    {
        FileStream? lockFile;
        try
        {
            lockFile = new FileStream(SpoolFile.LockPathFor(path), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            return new SyncResult(path, Path.GetFileNameWithoutExtension(path), "", 0, 0, 0, null, "in use by a running process");
        }
        using (lockFile)
        {
            SpoolContent content;
            try
            {
                content = SpoolContent.Read(path);
            }
            catch (InvalidDataException e)
            {
                return new SyncResult(path, Path.GetFileNameWithoutExtension(path), "", 0, 0, 0, null, e.Message);
            }
            var header = content.Header;
            await RunLifecycle
                .EnsureAsync(client, header with { Resume = ResumeMode.Allow }, deferred: true, generatedId: false, cancellationToken)
                .ConfigureAwait(false);
            long points = 0,
                accepted = 0;
            foreach (var batch in content.Batches)
            {
                var ack = await client.LogMetricsAsync(header.RunId, batch.Body, cancellationToken).ConfigureAwait(false);
                accepted += ack.Accepted;
                points += batch.Points;
                progress?.Report(batch.Points);
            }
            if (content.Finish is { } state)
            {
                await client.UpdateRunAsync(header.RunId, new UpdateRunRequest(State: state), cancellationToken).ConfigureAwait(false);
            }
            if (!keep)
                File.Delete(path);
            var result = new SyncResult(path, header.RunId, header.Project, content.Batches.Count, points, accepted, content.Finish);
            lockFile.Dispose();
            if (!keep)
                File.Delete(SpoolFile.LockPathFor(path));
            return result;
        }
    }
}
