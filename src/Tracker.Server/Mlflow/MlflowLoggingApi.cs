using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Tracker.Sdk.Contracts;
using Tracker.Server.Hosting;
using Tracker.Server.Ingest;
using Tracker.Server.Runs;
using Tracker.Server.Storage;
using Tracker.Server.Storage.Entities;

namespace Tracker.Server.Mlflow;

/// <summary><c>runs/log-metric|log-batch|log-parameter|set-tag|delete-tag</c>. Metric points go through
/// <see cref="MetricIngestor"/> like native points (stored, analyzed, broadcast); params go into the run's
/// config, tags into its MLflow tags (mirrored as native tags).</summary>
internal static class MlflowLoggingApi
{
    private static readonly SemaphoreSlim[] RunLocks = [.. Enumerable.Range(0, 64).Select(_ => new SemaphoreSlim(1, 1))];

    internal static async Task<IResult> LogMetric(
        HttpRequest request,
        ClaimsPrincipal user,
        TrackerDbContext db,
        MetricIngestor ingestor,
        MlflowSeqAllocator seqs,
        RunLifecycle lifecycle,
        TimeProvider time,
        CancellationToken cancellationToken
    )
    {
        using var args = await MlflowArgs.ReadAsync(request, cancellationToken);
        var runId = args.RunId();
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var key = MlflowLimits.Key(args.String("key"), "metric");
        if (!args.Root.TryGetProperty("value", out var valueElement) && !args.Has("value"))
        {
            throw MlflowException.Invalid("Missing value for required parameter 'value'. See the API docs for more information about request parameters.");
        }
        var value = MlflowArgs.ReadDouble(valueElement, "value");
        var timestamp = args.Int64("timestamp")
            ?? throw MlflowException.Invalid(
                "Missing value for required parameter 'timestamp'. See the API docs for more information about request parameters."
            );
        var step = args.Int64("step") ?? 0;
        var (run, _) = await MlflowRunStore.FindAsync(db, runId, user, cancellationToken);
        MlflowRunStore.RequireActive(run);
        using var batch = new MetricBatch(1);
        batch.Add(batch.InternKey(key), step, value, timestamp);
        await IngestAsync(db, ingestor, seqs, lifecycle, run, batch, now, cancellationToken);
        return MlflowJson.Empty;
    }

    internal static async Task<IResult> LogBatch(
        HttpRequest request,
        ClaimsPrincipal user,
        TrackerDbContext db,
        MetricIngestor ingestor,
        MlflowSeqAllocator seqs,
        RunLifecycle lifecycle,
        TimeProvider time,
        IOptions<TrackerOptions> options,
        CancellationToken cancellationToken
    )
    {
        using var args = await MlflowArgs.ReadAsync(request, cancellationToken);
        var runId = args.RunId();
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var metrics = args.Objects("metrics", out var metricCount);
        var paramsArray = args.Objects("params", out var paramCount);
        var tagsArray = args.Objects("tags", out var tagCount);
        if (
            metricCount > MlflowLimits.MaxMetricsPerBatch
            || paramCount > MlflowLimits.MaxParamsPerBatch
            || tagCount > MlflowLimits.MaxTagsPerBatch
            || metricCount + paramCount + tagCount > MlflowLimits.MaxEntitiesPerBatch
        )
        {
            throw MlflowException.Invalid(
                $"A batch logging request can contain at most {MlflowLimits.MaxMetricsPerBatch} metrics, {MlflowLimits.MaxParamsPerBatch} params and {MlflowLimits.MaxTagsPerBatch} tags "
                    + $"({MlflowLimits.MaxEntitiesPerBatch} in all); got {metricCount} metrics, {paramCount} params and {tagCount} tags."
            );
        }

        // Validate everything before writing anything: a batch is all-or-nothing.
        using var batch = new MetricBatch(Math.Max(metricCount, 1));
        foreach (var m in metrics)
        {
            var key = MlflowLimits.Key(MlflowArgs.ReadString(m, "key"), "metric");
            var value = m.TryGetProperty("value", out var v)
                ? MlflowArgs.ReadDouble(v, "value")
                : throw MlflowException.Invalid($"Missing value for required parameter 'metrics[{batch.Count}].value'.");
            var timestamp = (m.TryGetProperty("timestamp", out var t) ? MlflowArgs.ReadInt64(t, "timestamp") : null)
                ?? throw MlflowException.Invalid($"Missing value for required parameter 'metrics[{batch.Count}].timestamp'.");
            var step = (m.TryGetProperty("step", out var s) ? MlflowArgs.ReadInt64(s, "step") : null) ?? 0;
            batch.Add(batch.InternKey(key), step, value, timestamp);
        }
        var parameters = new List<KeyValuePair<string, string>>(paramCount);
        foreach (var p in paramsArray)
        {
            var key = MlflowLimits.Key(MlflowArgs.ReadString(p, "key"), "param");
            var value = MlflowLimits.Value(MlflowArgs.ReadString(p, "value"), MlflowLimits.MaxParamValueLength, "param", key);
            var earlier = parameters.FindIndex(e => e.Key == key);
            if (earlier >= 0 && parameters[earlier].Value != value)
            {
                throw MlflowException.Invalid($"Duplicate parameter keys have been submitted: '{key}' with different values.");
            }
            if (earlier < 0)
                parameters.Add(new(key, value));
        }
        var tags = new List<KeyValuePair<string, string>>(tagCount);
        foreach (var tag in tagsArray)
        {
            var key = MlflowLimits.Key(MlflowArgs.ReadString(tag, "key"), "tag");
            tags.Add(new(key, MlflowLimits.Value(MlflowArgs.ReadString(tag, "value"), MlflowLimits.MaxTagValueLength, "tag", key)));
        }

        var (run, _) = await MlflowRunStore.FindAsync(db, runId, user, cancellationToken);
        MlflowRunStore.RequireActive(run);
        if (parameters.Count > 0 || tags.Count > 0)
        {
            await UpdateRunAsync(db, run, parameters, tags, null, now, options.Value.Limits, cancellationToken);
        }
        if (batch.Count > 0)
        {
            await IngestAsync(db, ingestor, seqs, lifecycle, run, batch, now, cancellationToken);
        }
        return MlflowJson.Empty;
    }

    internal static async Task<IResult> LogParameter(
        HttpRequest request,
        ClaimsPrincipal user,
        TrackerDbContext db,
        TimeProvider time,
        IOptions<TrackerOptions> options,
        CancellationToken cancellationToken
    )
    {
        using var args = await MlflowArgs.ReadAsync(request, cancellationToken);
        var key = MlflowLimits.Key(args.String("key"), "param");
        var value = MlflowLimits.Value(args.String("value"), MlflowLimits.MaxParamValueLength, "param", key);
        var (run, _) = await MlflowRunStore.FindAsync(db, args.RunId(), user, cancellationToken);
        MlflowRunStore.RequireActive(run);
        await UpdateRunAsync(db, run, [new(key, value)], [], null, time.GetUtcNow().ToUnixTimeMilliseconds(), options.Value.Limits, cancellationToken);
        return MlflowJson.Empty;
    }

    internal static async Task<IResult> SetTag(
        HttpRequest request,
        ClaimsPrincipal user,
        TrackerDbContext db,
        TimeProvider time,
        IOptions<TrackerOptions> options,
        CancellationToken cancellationToken
    )
    {
        using var args = await MlflowArgs.ReadAsync(request, cancellationToken);
        var key = MlflowLimits.Key(args.String("key"), "tag");
        var value = MlflowLimits.Value(args.String("value"), MlflowLimits.MaxTagValueLength, "tag", key);
        var (run, _) = await MlflowRunStore.FindAsync(db, args.RunId(), user, cancellationToken);
        MlflowRunStore.RequireActive(run);
        await UpdateRunAsync(db, run, [], [new(key, value)], null, time.GetUtcNow().ToUnixTimeMilliseconds(), options.Value.Limits, cancellationToken);
        return MlflowJson.Empty;
    }

    internal static async Task<IResult> DeleteTag(
        HttpRequest request,
        ClaimsPrincipal user,
        TrackerDbContext db,
        TimeProvider time,
        IOptions<TrackerOptions> options,
        CancellationToken cancellationToken
    )
    {
        using var args = await MlflowArgs.ReadAsync(request, cancellationToken);
        var key = args.Required("key");
        var runId = args.RunId();
        var (run, project) = await MlflowRunStore.FindAsync(db, runId, user, cancellationToken);
        MlflowRunStore.RequireActive(run);
        var nativeTags = await db.RunTags.AsNoTracking().Where(t => t.RunId == runId).Select(t => t.Tag).ToListAsync(cancellationToken);
        if (!new MlflowRunView(run, project, nativeTags, []).Tags.ContainsKey(key) || key == MlflowRunView.RunNameTag)
        {
            throw MlflowException.NotFound($"No tag with name: {key} in run with id {runId}");
        }
        await UpdateRunAsync(db, run, [], [], key, time.GetUtcNow().ToUnixTimeMilliseconds(), options.Value.Limits, cancellationToken);
        return MlflowJson.Empty;
    }

    /// <summary>Adds params and sets or deletes tags under a per-run lock (read-modify-write of the config and tag map).</summary>
    private static async Task UpdateRunAsync(
        TrackerDbContext db,
        RunEntity run,
        List<KeyValuePair<string, string>> parameters,
        List<KeyValuePair<string, string>> tags,
        string? deleteTag,
        long now,
        LimitOptions limits,
        CancellationToken cancellationToken
    )
    {
        var gate = RunLocks[(uint)StringComparer.Ordinal.GetHashCode(run.Id) % RunLocks.Length];
        await gate.WaitAsync(cancellationToken);
        try
        {
            await db.Entry(run).ReloadAsync(cancellationToken);
            if (parameters.Count > 0)
                run.ConfigJson = MlflowRunView.AddParams(run.ConfigJson, parameters, run.Id);
            if (run.ConfigJson is { } config && System.Text.Encoding.UTF8.GetByteCount(config) > limits.MaxConfigBytes)
            {
                throw MlflowException.Invalid(
                    $"The params of run {run.Id} would take more than {limits.MaxConfigBytes} bytes (Tracker:Limits:MaxConfigBytes); nothing was stored."
                );
            }
            var stored = MlflowExperimentStore.Tags(run.MlflowTagsJson);
            var native = await db.RunTags.Where(t => t.RunId == run.Id).ToListAsync(cancellationToken);
            void RemoveNative(string? tag)
            {
                if (tag is null)
                    return;
                foreach (var n in native.Where(n => n.Tag == tag).ToList())
                {
                    db.RunTags.Remove(n);
                    native.Remove(n);
                }
            }
            foreach (var (key, value) in tags)
            {
                switch (key)
                {
                    case MlflowRunView.RunNameTag:
                        if (value.Length is > 0 and <= MlflowLimits.MaxRunNameLength)
                            run.Name = value;
                        break;
                    case MlflowRunView.NoteTag:
                        run.Notes =
                            value.Length <= limits.MaxNotesLength
                                ? value
                                : throw MlflowException.Invalid(
                                    $"Tag '{key}' had value length {value.Length}, which exceeded the notes limit of {limits.MaxNotesLength} (Tracker:Limits:MaxNotesLength)"
                                );
                        break;
                    default:
                        if (stored.TryGetValue(key, out var old))
                            RemoveNative(MlflowRunView.NativeMirror(key, old));
                        stored[key] = value;
                        if (MlflowRunView.NativeMirror(key, value) is { } mirror && native.Count < limits.MaxTags && native.All(n => n.Tag != mirror))
                        {
                            var entity = new RunTagEntity { RunId = run.Id, Tag = mirror };
                            db.RunTags.Add(entity);
                            native.Add(entity);
                        }
                        break;
                }
            }
            if (deleteTag is not null)
            {
                if (deleteTag == MlflowRunView.NoteTag)
                    run.Notes = null;
                if (stored.Remove(deleteTag, out var old))
                    RemoveNative(MlflowRunView.NativeMirror(deleteTag, old));
                RemoveNative(deleteTag); // a native tag shown with an empty value
            }
            run.MlflowTagsJson = MlflowExperimentStore.TagsJson(stored);
            run.UpdatedMs = now;
            await db.SaveChangesAsync(cancellationToken);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Stores the points as a new batch. MLflow lets a client log to a run whatever its status, so a run that
    /// ended takes the batch as it is, and one marked crashed for lack of heartbeats is reopened (the client is evidently
    /// alive) through <see cref="RunLifecycle"/>, its state and event in one transaction.</summary>
    private static async Task IngestAsync(
        TrackerDbContext db,
        MetricIngestor ingestor,
        MlflowSeqAllocator seqs,
        RunLifecycle lifecycle,
        RunEntity run,
        MetricBatch batch,
        long now,
        CancellationToken cancellationToken
    )
    {
        batch.AcceptsEndedRun = true;
        for (var attempt = 0; attempt < 4; attempt++)
        {
            batch.Seq = await seqs.NextAsync(db, run.Id, cancellationToken);
            var result = await ingestor.IngestAsync(run.Id, batch, now, cancellationToken);
            switch (result.Outcome)
            {
                case IngestOutcome.Stored:
                    return;
                case IngestOutcome.Duplicate:
                    seqs.Forget(run.Id);
                    continue;
                case IngestOutcome.RunNotFound:
                    throw MlflowException.NotFound($"Run with id={run.Id} not found");
                case IngestOutcome.TooManySeries:
                    throw MlflowException.Invalid(
                        $"Run {run.Id} would have more than Tracker:Limits:MaxSeriesPerRun metric keys; nothing of this request was stored."
                    );
                default:
                    // Crashed (whoever reopens it first, the next attempt stores the batch).
                    await lifecycle.MoveAsync(
                        run.Id,
                        RunState.Crashed,
                        RunState.Running,
                        "run resumed: MLflow client logged metrics",
                        cancellationToken,
                        heartbeat: true
                    );
                    continue;
            }
        }
        throw new MlflowException(MlflowException.RequestLimitExceeded, $"Could not store the metrics of run {run.Id}: too many concurrent writers; retry.");
    }
}
