using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Tracker.Analysis.Convergence;
using Tracker.Server.Storage;

namespace Tracker.Server.Analysis;

/// <summary>Rebuilds a run's analyzers from storage: its analysis settings (project defaults and run config), its siblings' best level, its stored
/// points replayed in step order, and its last persisted verdict, which the rebuilt analyzers resume from.</summary>
internal sealed partial class AnalyzerReplay(
    IServiceScopeFactory scopes,
    ITrackerConnectionFactory connections,
    AnalysisSettings settings,
    SiblingReference siblings,
    ILogger<AnalyzerReplay> logger
)
{
    private const string PointsInStepOrder = """
        SELECT s.key, p.step, p.value FROM metric_points p JOIN metric_series s ON s.id = p.series_id
        WHERE s.run_id = @run ORDER BY p.step, s.id, p.time_ms
        """;

    /// <summary>A new analyzer fed with every stored point of the run, and its first evaluation; the evaluation's
    /// changes are relative to the last persisted verdict (all of them for a new run). <c>Through</c> is the largest
    /// step replayed per series: batches committed while the replay read are observed again afterwards, and their
    /// points up to it were already seen.</summary>
    public async Task<(RunAnalyzer Analyzer, AnalysisUpdate Update, Dictionary<string, long> Through)> ReplayAsync(
        string runId,
        CancellationToken cancellationToken
    )
    {
        string? configJson,
            previousJson,
            projectDefaults;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<TrackerDbContext>();
            var row = await db
                .Runs.AsNoTracking()
                .Where(r => r.Id == runId)
                .Select(r => new
                {
                    r.ConfigJson,
                    r.AnalysisJson,
                    r.Project!.AnalysisDefaultsJson,
                })
                .FirstOrDefaultAsync(cancellationToken)
                .ConfigureAwait(false);
            (configJson, previousJson, projectDefaults) = (row?.ConfigJson, row?.AnalysisJson, row?.AnalysisDefaultsJson);
        }
        Dictionary<string, long> through;
        var analyzer = new RunAnalyzer(settings.For(projectDefaults, configJson, out var configProblem));
        if (configProblem is not null)
            LogBadConfig(logger, runId, configProblem);
        analyzer.SiblingBest = await siblings.BestAsync(runId, analyzer.Options.LossSeries, cancellationToken).ConfigureAwait(false);

        await using (var connection = await connections.OpenAsync(cancellationToken).ConfigureAwait(false))
        await using (var cmd = connection.CreateCommand())
        {
            cmd.CommandText = PointsInStepOrder;
            var parameter = cmd.CreateParameter();
            parameter.ParameterName = "run";
            parameter.Value = runId;
            cmd.Parameters.Add(parameter);
            await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            var routes = new Dictionary<string, SeriesRoute>(StringComparer.Ordinal);
            through = new Dictionary<string, long>(StringComparer.Ordinal);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var key = reader.GetString(0);
                if (!routes.TryGetValue(key, out var route))
                    routes[key] = route = analyzer.Route(key);
                var step = reader.GetInt64(1);
                analyzer.Observe(route, step, reader.IsDBNull(2) ? double.NaN : reader.GetDouble(2));
                through[key] = step; // in step order: the last is the largest
            }
        }
        // The stored verdict is the held one: the replayed analyzer holds it too (a different raw label must hold again
        // before it takes effect), and reports its changes relative to it.
        var previous = previousJson is null ? null : JsonSerializer.Deserialize(previousJson, AnalysisStorageJsonContext.Default.AnalysisSnapshot);
        if (previous is not null)
            analyzer.Resume(previous);
        return (analyzer, analyzer.Evaluate(), through);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Run {RunId} has an invalid tracker.analysis config ({Problem}); using the defaults")]
    private static partial void LogBadConfig(ILogger logger, string runId, string problem);
}
