using Microsoft.EntityFrameworkCore;
using Tracker.Client.Charts;
using Tracker.Client.Pages;
using Tracker.Sdk.Contracts;
using Tracker.Server.Analysis;
using Tracker.Server.Apis;
using Tracker.Server.Auth;
using Tracker.Server.Queries;
using Tracker.Server.Runs;
using Tracker.Server.Storage;
using Tracker.Server.Storage.Entities;

namespace Tracker.Server.Components;

/// <summary>Reads a run page's first paint for the server's prerendering, as the request's session may see it: the run,
/// its keys, whether the key may write, the analysis when it is at hand, and each chart's series sampled to
/// <see cref="SketchPoints"/> points (the charts in a page's first screens; the rest draw when they come into view).</summary>
internal sealed partial class RunPageSnapshots(
    IHttpContextAccessor http,
    TrackerDbContext db,
    MetricQueries queries,
    IRunAnalysis analyzers,
    ILogger<RunPageSnapshots> logger
) : IRunPageSnapshots
{
    /// <summary>Points per series in a sketch: a few per pixel column of a laptop-wide chart's plot area is more than the eye needs.</summary>
    public const int SketchPoints = 300;

    /// <summary>Charts sketched: about two screens of them (a page can have thousands of series).</summary>
    public const int SketchedCharts = 8;

    /// <summary>Longest wait for the analysis: a run whose analyzers are not in memory is rebuilt from its points, which
    /// the first paint does not wait for (the rebuild goes on, and the browser's own read finds it done).</summary>
    public static readonly TimeSpan AnalysisWait = TimeSpan.FromMilliseconds(150);

    /// <inheritdoc />
    public async Task<RunPageSnapshot?> LoadAsync(string runId, CancellationToken cancellationToken)
    {
        if (http.HttpContext?.User is not { Identity.IsAuthenticated: true } user)
            return RunPageSnapshot.NoSession;
        var loaded = await RunsApi.LoadAsync(db, runId, user, tracking: false, cancellationToken);
        if (loaded.Run is not { } run || loaded.Project is not { } project)
            return RunPageSnapshot.Failed(
                loaded.Problem?.ProblemDetails.Status == StatusCodes.Status404NotFound
                    ? $"Run '{runId}' does not exist."
                    : loaded.Problem?.ProblemDetails.Detail ?? "This run cannot be shown."
            );
        var analysis = AnalysisAsync(runId);
        var series = await db.Series.AsNoTracking().Where(s => s.RunId == runId).OrderBy(s => s.Key).ToListAsync(cancellationToken);
        var keys = series.Select(s => s.Key).ToList();
        var byKey = series.ToDictionary(s => s.Key, StringComparer.Ordinal);
        var charts = await Task.WhenAll(MetricGroups.Group(keys).Take(SketchedCharts).Select(g => SketchAsync(g.Keys, byKey, cancellationToken)));
        var sketches = charts.SelectMany(c => c).ToList();
        return new RunPageSnapshot(
            await RunsApi.ToDtoAsync(db, run, project, series, cancellationToken),
            keys,
            user.KeyScope() is ApiKeyScope.Write or ApiKeyScope.Admin,
            await analysis,
            sketches
        );
    }

    /// <summary>One chart's series, each sampled to <see cref="SketchPoints"/> points and drawn in the chart's shared
    /// range; none when no series has a finite value.</summary>
    private async Task<IEnumerable<SeriesSketch>> SketchAsync(
        IReadOnlyList<string> chartKeys,
        Dictionary<string, MetricSeriesEntity> series,
        CancellationToken cancellationToken
    )
    {
        var histories = await Task.WhenAll(
            chartKeys
                .Where(series.ContainsKey)
                .Select(async key =>
                {
                    var s = series[key];
                    var (points, count, sampled) = await queries.ReadSampledAsync(s.Id, s.FirstStep, s.LastStep, SketchPoints, s.Count, cancellationToken);
                    return (Key: key, Columns: MetricColumns.From(count, sampled, points));
                })
        );
        if (SketchGeometry.Range(histories.Select(h => h.Columns)) is not { } r)
            return [];
        // Drawn on the y scale the chart will take by itself (the page's view starts on auto), so that nothing jumps when Plotly takes over.
        var logY = SketchGeometry.AutoLogY([.. histories.Select(h => h.Columns)]);
        return histories.Select(h => new SeriesSketch(h.Key, [.. SketchGeometry.Polylines(h.Columns, r, logY)], r.XMin, r.XMax, r.YMin, r.YMax, logY));
    }

    private async Task<RunAnalysisDto?> AnalysisAsync(string runId)
    {
        // Not the request's token: a rebuild that outlasts the wait finishes for the browser's read.
        var read = analyzers.GetAsync(runId, CancellationToken.None);
        try
        {
            return await read.WaitAsync(AnalysisWait);
        }
        catch (TimeoutException)
        {
            _ = read.ContinueWith(t => t.Exception, TaskScheduler.Default); // observed: a failure shows in the browser's read
            return null;
        }
        catch (Exception e)
        {
            LogAnalysisFailed(logger, runId, e);
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The run page of {RunId} is prerendered without its analysis.")]
    private static partial void LogAnalysisFailed(ILogger logger, string runId, Exception exception);
}
