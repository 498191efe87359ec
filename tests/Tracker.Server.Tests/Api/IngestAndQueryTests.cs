using Tracker.Sdk.Client;
using Tracker.Sdk.Contracts;
using Tracker.TestSupport;

namespace Tracker.Server.Tests.Api;

/// <summary>Create run → ingest → query back, against the real pipeline; runs on both stores.</summary>
public abstract class IngestAndQueryTests(ServerFixture fixture)
{
    private TrackerClient Client => fixture.Server.CreateClient();

    [Fact]
    public async Task Logged_points_are_read_back_exactly()
    {
        var run = await Client.CreateRunAsync(
            "exact",
            new CreateRunRequest(Name: "r1", Tags: ["a", "b"], Config: System.Text.Json.JsonDocument.Parse("""{"lr":0.001,"layers":[64,32]}""").RootElement)
        );
        double[] values = [0.1, 1e-300, double.MaxValue, -2.5, 3.141592653589793, 1.0 / 3.0];
        var points = values.Select((v, i) => new MetricPointInput("loss", i, v, 1_700_000_000_000 + i)).ToArray();
        var ack = await Client.LogMetricsAsync(run.Id, Points.Batch(1, points));
        Assert.Equal((values.Length, false), (ack.Accepted, ack.Duplicate));

        var history = await Client.GetHistoryAsync(run.Id, "loss");
        Assert.False(history.Sampled);
        Assert.Equal(values.Length, history.Count);
        Assert.Equal(values, history.Points.Select(p => p.Value));
        Assert.Equal(Enumerable.Range(0, values.Length).Select(i => (long)i), history.Points.Select(p => p.Step));
        Assert.Equal(points.Select(p => p.Time!.Value), history.Points.Select(p => p.Time));

        var read = await Client.GetRunAsync(run.Id);
        Assert.Equal(["a", "b"], read.Tags);
        Assert.Equal(0.001, read.Config!.Value.GetProperty("lr").GetDouble());
        var summary = read.Summary["loss"];
        Assert.Equal(values.Length, summary.Count);
        Assert.Equal(values[^1], summary.Last);
        Assert.Equal(-2.5, summary.Min);
        Assert.Equal(3, summary.MinStep);
        Assert.Equal(double.MaxValue, summary.Max);
        Assert.Equal(2, summary.MaxStep);
        Assert.Equal(0, summary.FirstStep);
        Assert.Equal(values.Length - 1, summary.LastStep);
    }

    [Fact]
    public async Task NaN_and_infinities_round_trip()
    {
        var run = await Client.CreateRunAsync("nan", new CreateRunRequest());
        double[] values = [double.NaN, double.PositiveInfinity, double.NegativeInfinity, 1.5];
        await Client.LogMetricsAsync(run.Id, Points.Batch(1, values.Select((v, i) => new MetricPointInput("loss", i, v)).ToArray()));

        var history = await Client.GetHistoryAsync(run.Id, "loss");
        Assert.Equal(values, history.Points.Select(p => p.Value));
        var summary = (await Client.GetRunAsync(run.Id)).Summary["loss"];
        Assert.Equal(1.5, summary.Last);
        Assert.Equal(double.NegativeInfinity, summary.Min);
        Assert.Equal(double.PositiveInfinity, summary.Max);

        // The wire format is the documented one: strings for the non-finite values.
        var raw = await fixture.Server.CreateHttpClient().GetStringAsync($"api/v1/runs/{run.Id}/metrics/loss");
        Assert.Contains("\"NaN\"", raw, StringComparison.Ordinal);
        Assert.Contains("\"-Infinity\"", raw, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_retried_seq_is_stored_once()
    {
        var run = await Client.CreateRunAsync("retry", new CreateRunRequest());
        var batch = Points.Batch(7, Points.Series("loss", 0, 100, s => s));
        foreach (var expected in new[] { (100, false), (0, true), (0, true) })
        {
            var ack = await Client.LogMetricsAsync(run.Id, batch);
            Assert.Equal(expected, (ack.Accepted, ack.Duplicate));
        }
        Assert.Equal(100, (await Client.GetHistoryAsync(run.Id, "loss")).Count);
        Assert.Equal(100, (await Client.GetRunAsync(run.Id)).Summary["loss"].Count);
    }

    [Fact]
    public async Task Concurrent_batches_from_several_clients_lose_nothing()
    {
        var run = await Client.CreateRunAsync("concurrent", new CreateRunRequest());
        const int clients = 6,
            batches = 10,
            perBatch = 200;
        await Task.WhenAll(
            Enumerable
                .Range(0, clients)
                .Select(c =>
                    Task.Run(async () =>
                    {
                        var client = fixture.Server.CreateClient();
                        for (var b = 0; b < batches; b++)
                        {
                            var seq = c * batches + b;
                            var points = new List<MetricPointInput>();
                            for (var i = 0; i < perBatch; i++)
                            {
                                var step = (long)seq * perBatch + i;
                                points.Add(new MetricPointInput("loss", step, step));
                                points.Add(new MetricPointInput($"worker/{c}", step, c));
                            }
                            await client.LogMetricsAsync(run.Id, Points.Batch(seq, [.. points]));
                        }
                    })
                )
        );

        const int total = clients * batches * perBatch;
        var all = new List<MetricPointDto>();
        await foreach (var p in Client.ReadAllAsync(run.Id, "loss"))
            all.Add(p);
        Assert.Equal(total, all.Count);
        Assert.Equal(Enumerable.Range(0, total).Select(i => (long)i), all.Select(p => p.Step));
        var run2 = await Client.GetRunAsync(run.Id);
        Assert.Equal(total, run2.Summary["loss"].Count);
        Assert.Equal(total - 1, run2.Summary["loss"].Max);
        Assert.Equal(clients + 1, run2.Summary.Count);
    }

    [Fact]
    public async Task Paging_returns_every_point_once_including_repeated_steps()
    {
        var run = await Client.CreateRunAsync("paging", new CreateRunRequest());
        // 25,000 points; steps 100..199 are logged three times each (a resumed run re-logging a range).
        var points = Points.Series("acc", 0, 25_000, s => s * 0.5).ToList();
        var repeats = Enumerable.Range(0, 2).SelectMany(r => Points.Series("acc", 100, 100, s => -s - r)).ToList();
        await Client.LogMetricsAsync(run.Id, Points.Batch(1, [.. points.Take(10_000)]));
        await Client.LogMetricsAsync(run.Id, Points.Batch(2, [.. points.Skip(10_000).Take(10_000)]));
        await Client.LogMetricsAsync(run.Id, Points.Batch(3, [.. points.Skip(20_000), .. repeats]));

        var pages = 0;
        string? cursor = null;
        var seen = new List<MetricPointDto>();
        do
        {
            var page = await Client.GetHistoryAsync(run.Id, "acc", limit: 999, cursor: cursor);
            seen.AddRange(page.Points);
            cursor = page.NextCursor;
            pages++;
        } while (cursor is not null);

        Assert.Equal(25_200, seen.Count);
        Assert.Equal((25_200 + 998) / 999, pages);
        var expected = points.Concat(repeats).Select(p => (p.Step, p.Value)).Order().ToList();
        Assert.Equal(expected, seen.Select(p => (p.Step, p.Value)).Order().ToList());
        Assert.True(seen.Zip(seen.Skip(1)).All(pair => pair.First.Step <= pair.Second.Step), "pages are in step order");
    }

    [Fact]
    public async Task Sampled_history_keeps_global_min_and_max_and_respects_max_points()
    {
        var run = await Client.CreateRunAsync("sampled", new CreateRunRequest());
        var random = new Random(42);
        const int n = 60_000;
        var values = new double[n];
        for (var i = 0; i < n; i++)
            values[i] = Math.Sin(i / 500.0) + random.NextDouble() * 0.1;
        values[12_345] = 50; // a spike that a naive decimation would hide
        values[40_001] = -50;
        values[33_333] = double.NaN;
        for (var b = 0; b < n / 10_000; b++)
        {
            var chunk = Enumerable.Range(b * 10_000, 10_000).Select(i => new MetricPointInput("loss", i, values[i], 1_700_000_000_000 + i)).ToArray();
            await Client.LogMetricsAsync(run.Id, Points.Batch(b, chunk));
        }

        foreach (
            var (maxPoints, from, to) in new (int, long?, long?)[]
            {
                (1000, null, null),
                (100, null, null),
                (7, null, null),
                (500, 1_000, 45_678),
                (300, 12_000, 12_999),
                (50, 39_990, 40_010),
            }
        )
        {
            var history = await Client.GetHistoryAsync(run.Id, "loss", maxPoints: maxPoints, fromStep: from, toStep: to);
            var lo = from ?? 0;
            var hi = to ?? n - 1;
            var inRange = values.Skip((int)lo).Take((int)(hi - lo + 1)).ToArray();
            Assert.True(history.Points.Count <= maxPoints, $"{history.Points.Count} > {maxPoints}");
            Assert.Equal(inRange.Length, history.Count);
            var finite = inRange.Where(v => !double.IsNaN(v)).ToArray();
            Assert.Equal(finite.Min(), history.Points.Where(p => !double.IsNaN(p.Min)).Min(p => p.Min));
            Assert.Equal(finite.Max(), history.Points.Where(p => !double.IsNaN(p.Max)).Max(p => p.Max));
            Assert.All(history.Points, p => Assert.InRange(p.Step, lo, hi));
            // Each bucket reports the value actually logged at its last step.
            Assert.All(history.Points, p => Assert.Equal(values[p.Step], p.Value));
            Assert.Equal(hi, history.Points[^1].Step);
            if (inRange.Length > maxPoints)
                Assert.True(history.Sampled);
        }

        var small = await Client.GetHistoryAsync(run.Id, "loss", maxPoints: 1000, fromStep: 100, toStep: 199);
        Assert.False(small.Sampled);
        Assert.Equal(100, small.Points.Count);
    }

    [Fact]
    public async Task Packed_history_holds_the_same_points_as_json()
    {
        var run = await Client.CreateRunAsync("packed", new CreateRunRequest(Name: "p"));
        var points = Enumerable
            .Range(0, 3_000)
            .Select(i => new MetricPointInput("loss", i, i == 7 ? double.NaN : Math.Cos(i / 100.0), 1_700_000_000_000 + i))
            .ToArray();
        await Client.LogMetricsAsync(run.Id, Points.Batch(0, points));

        foreach (var (maxPoints, from, to) in new (int, long?, long?)[] { (100, null, null), (5_000, null, null), (50, 10, 20), (10, 4_000, 5_000) })
        {
            var json = await Client.GetHistoryAsync(run.Id, "loss", maxPoints: maxPoints, fromStep: from, toStep: to);
            var packed = await Client.GetPackedHistoryAsync(run.Id, "loss", maxPoints, from, to);
            Assert.Equal((json.Count, json.Sampled), (packed.Count, packed.Sampled));
            Assert.Equal(json.Points.Select(p => p.Step), packed.Steps);
            Assert.Equal(json.Points.Select(p => p.Value), packed.Values);
            Assert.Equal(json.Points.Select(p => p.Time), packed.Times);
        }

        using var http = fixture.Server.CreateHttpClient();
        using var unknown = await http.GetAsync(new Uri($"api/v1/runs/{run.Id}/metrics/loss?maxPoints=10&format=csv", UriKind.Relative));
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, unknown.StatusCode);
        using var paged = await http.GetAsync(new Uri($"api/v1/runs/{run.Id}/metrics/loss?format=packed", UriKind.Relative));
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, paged.StatusCode);
    }

    [Fact]
    public async Task Runs_are_listed_filtered_and_sorted_by_summary()
    {
        const string project = "listing";
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            var run = await Client.CreateRunAsync(
                project,
                new CreateRunRequest(Name: $"run-{i}", Group: i % 2 == 0 ? "even" : "odd", Tags: i == 3 ? ["best"] : [])
            );
            ids.Add(run.Id);
            await Client.LogMetricsAsync(run.Id, Points.Batch(0, new MetricPointInput("val_loss", 0, 10 - i * 1.5)));
        }
        await Client.UpdateRunAsync(ids[4], new UpdateRunRequest(State: RunState.Finished));

        var byLoss = await Client.ListRunsAsync(project, new RunQuery(Sort: "summary.val_loss", Descending: false));
        Assert.Equal(ids.AsEnumerable().Reverse(), byLoss.Runs.Select(r => r.Id));
        Assert.Equal(10 - 4 * 1.5, byLoss.Runs[0].Summary["val_loss"].Last);

        Assert.Equal([ids[3]], (await Client.ListRunsAsync(project, new RunQuery(Tag: "best"))).Runs.Select(r => r.Id));
        Assert.Equal(3, (await Client.ListRunsAsync(project, new RunQuery(Group: "even"))).Runs.Count);
        Assert.Equal([ids[4]], (await Client.ListRunsAsync(project, new RunQuery(State: RunState.Finished))).Runs.Select(r => r.Id));
        Assert.Equal([ids[2]], (await Client.ListRunsAsync(project, new RunQuery(Search: "RUN-2"))).Runs.Select(r => r.Id));

        var first = await Client.ListRunsAsync(project, new RunQuery(Sort: "name", Limit: 2));
        Assert.Equal(["run-0", "run-1"], first.Runs.Select(r => r.Name));
        var second = await Client.ListRunsAsync(project, new RunQuery(Sort: "name", Limit: 2, Cursor: first.NextCursor));
        Assert.Equal(["run-2", "run-3"], second.Runs.Select(r => r.Name));

        var projects = await Client.ListProjectsAsync();
        Assert.Equal(5, projects.Projects.Single(p => p.Name == project).RunCount);
    }

    [Fact]
    public async Task Runs_updated_since_a_time_are_listed_alone()
    {
        const string project = "updated-since";
        var a = await Client.CreateRunAsync(project, new CreateRunRequest(Name: "a"));
        var b = await Client.CreateRunAsync(project, new CreateRunRequest(Name: "b"));
        var c = await Client.CreateRunAsync(project, new CreateRunRequest(Name: "c"));
        var edited = await Client.UpdateRunAsync(b.Id, new UpdateRunRequest(Tags: ["edited"]));
        var since = edited.UpdatedAt;

        var recent = await Client.ListRunsAsync(project, new RunQuery(UpdatedSince: since));
        Assert.Contains(b.Id, recent.Runs.Select(r => r.Id));
        Assert.All(recent.Runs, r => Assert.True(r.UpdatedAt >= since, $"{r.Name} updated at {r.UpdatedAt:O}, before {since:O}"));
        var all = await Client.ListRunsAsync(project);
        foreach (var run in all.Runs.Where(r => r.UpdatedAt < since))
        {
            Assert.DoesNotContain(run.Id, recent.Runs.Select(r => r.Id)); // a and c, unless created in the same millisecond
        }
        Assert.Equal(3, all.Runs.Count);
        Assert.Empty((await Client.ListRunsAsync(project, new RunQuery(UpdatedSince: since.AddDays(1)))).Runs);
        Assert.Equal([a.Id, b.Id, c.Id], (await Client.ListRunsAsync(project, new RunQuery(UpdatedSince: a.UpdatedAt, Sort: "name"))).Runs.Select(r => r.Id));
    }

    [Fact]
    public async Task Deleting_a_run_deletes_its_points()
    {
        var run = await Client.CreateRunAsync("delete", new CreateRunRequest());
        await Client.LogMetricsAsync(run.Id, Points.Batch(0, Points.Series("loss", 0, 500, s => s)));
        await Client.DeleteRunAsync(run.Id);
        var e = await Assert.ThrowsAsync<TrackerApiException>(() => Client.GetRunAsync(run.Id));
        Assert.Equal(System.Net.HttpStatusCode.NotFound, e.StatusCode);
    }

    [Fact]
    public async Task Csv_export_streams_every_point()
    {
        var run = await Client.CreateRunAsync("csv", new CreateRunRequest());
        await Client.LogMetricsAsync(run.Id, Points.Batch(0, [.. Points.Series("loss", 0, 3, s => s + 0.5), .. Points.Series("acc", 0, 2, s => double.NaN)]));
        using var reader = new StreamReader(await Client.ExportCsvAsync(run.Id));
        var lines = (await reader.ReadToEndAsync()).TrimEnd().Split('\n');
        Assert.Equal("step,key,value,time", lines[0]);
        Assert.Equal(6, lines.Length);
        Assert.Contains("0,acc,NaN,1700000000000", lines);
        Assert.Contains("2,loss,2.5,1700000000002", lines);
    }

    [Fact]
    public async Task Logging_to_an_ended_run_is_a_conflict_until_it_is_resumed()
    {
        var run = await Client.CreateRunAsync("state", new CreateRunRequest());
        await Client.UpdateRunAsync(run.Id, new UpdateRunRequest(State: RunState.Finished));
        var e = await Assert.ThrowsAsync<TrackerApiException>(() => Client.LogMetricsAsync(run.Id, Points.Batch(0, new MetricPointInput("loss", 0, 1))));
        Assert.Equal(System.Net.HttpStatusCode.Conflict, e.StatusCode);
        Assert.Contains("finished", e.Detail, StringComparison.Ordinal);

        var resumed = await Client.UpdateRunAsync(run.Id, new UpdateRunRequest(State: RunState.Running));
        Assert.Null(resumed.EndedAt);
        Assert.Equal(1, (await Client.LogMetricsAsync(run.Id, Points.Batch(0, new MetricPointInput("loss", 0, 1)))).Accepted);
        var events = await Client.ListEventsAsync(run.Id);
        Assert.Equal(["running", "finished", "running"], events.Events.Select(ev => ev.To));
    }
}

[Trait("Store", "Postgres")]
public sealed class PostgresIngestAndQueryTests(PostgresServerFixture fixture) : IngestAndQueryTests(fixture), IClassFixture<PostgresServerFixture>;

[Trait("Store", "Sqlite")]
public sealed class SqliteIngestAndQueryTests(SqliteServerFixture fixture) : IngestAndQueryTests(fixture), IClassFixture<SqliteServerFixture>;
