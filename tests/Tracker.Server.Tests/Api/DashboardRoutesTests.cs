using System.Net;
using Tracker.Sdk.Client;
using Tracker.Sdk.Contracts;
using Tracker.TestSupport;

namespace Tracker.Server.Tests.Api;

/// <summary>Every REST call the dashboard makes goes through <see cref="TrackerClient"/>: the typed methods it uses answer against the real server; runs on both stores.</summary>
public abstract class DashboardRoutesTests(ServerFixture fixture)
{
    private TrackerClient Client => fixture.Server.CreateClient();

    [Fact]
    public async Task WhoAmI_reports_the_calling_keys_scope()
    {
        var me = await Client.WhoAmIAsync();
        Assert.Equal(ApiKeyScope.Admin, me.Scope);
        Assert.Null(me.Project);

        var reader = fixture.Server.CreateClient((await Client.CreateKeyAsync(new CreateApiKeyRequest(ApiKeyScope.Read, Project: "dash-bound"))).Key);
        var readerMe = await reader.WhoAmIAsync();
        Assert.Equal((ApiKeyScope.Read, "dash-bound"), (readerMe.Scope, readerMe.Project));
    }

    [Fact]
    public async Task Run_page_calls_read_series_packed_history_events_analysis_and_csv()
    {
        var run = await Client.CreateRunAsync("dash", new CreateRunRequest(Name: "page"));
        await Client.LogMetricsAsync(run.Id, Points.Batch(1, Points.Series("loss", 0, 50, s => 1.0 / (s + 1))));
        await Client.LogMetricsAsync(run.Id, Points.Batch(2, Points.Series("train/acc", 0, 50, s => s / 50.0)));

        var series = await Client.ListSeriesAsync(run.Id);
        Assert.Equal(["loss", "train/acc"], series.Series.Select(s => s.Key).Order(StringComparer.Ordinal));

        var packed = await Client.GetPackedHistoryAsync(run.Id, "train/acc", maxPoints: 1000);
        Assert.Equal(50, packed.Count);
        Assert.Equal(Enumerable.Range(0, 50).Select(i => (long)i), packed.Steps);
        var window = await Client.GetPackedHistoryAsync(run.Id, "loss", maxPoints: 1000, fromStep: 10, toStep: 19);
        Assert.Equal(Enumerable.Range(10, 10).Select(i => (long)i), window.Steps);

        await Client.UpdateRunAsync(run.Id, new UpdateRunRequest(State: RunState.Killed));
        var events = await Client.ListEventsAsync(run.Id);
        Assert.Contains(events.Events, e => e.Kind == "state" && e.To == "killed");

        try
        {
            var analysis = await Client.GetRunAnalysisAsync(run.Id);
            Assert.NotNull(analysis);
        }
        catch (TrackerApiException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            // The dashboard shows "no analysis yet" for this answer (TrackerApi.AnalysisAsync).
        }

        await using var csv = await Client.ExportCsvAsync(run.Id);
        using var reader = new StreamReader(csv);
        var lines = (await reader.ReadToEndAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(1 + 100, lines.Length);
    }

    [Fact]
    public async Task Deleting_a_run_from_the_dashboard_removes_it()
    {
        var run = await Client.CreateRunAsync("dash", new CreateRunRequest(Name: "doomed"));
        await Client.DeleteRunAsync(run.Id);
        var e = await Assert.ThrowsAsync<TrackerApiException>(() => Client.GetRunAsync(run.Id));
        Assert.Equal(HttpStatusCode.NotFound, e.StatusCode);
    }
}

/// <summary>The dashboard's calls on PostgreSQL.</summary>
[Trait("Store", "Postgres")]
public sealed class PostgresDashboardRoutesTests(PostgresServerFixture fixture) : DashboardRoutesTests(fixture), IClassFixture<PostgresServerFixture>;

/// <summary>The dashboard's calls on SQLite.</summary>
[Trait("Store", "Sqlite")]
public sealed class SqliteDashboardRoutesTests(SqliteServerFixture fixture) : DashboardRoutesTests(fixture), IClassFixture<SqliteServerFixture>;
