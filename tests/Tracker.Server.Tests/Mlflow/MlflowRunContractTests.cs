using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Tracker.Server.Tests.Api;
using static Tracker.Server.Tests.Mlflow.MlflowClient;

namespace Tracker.Server.Tests.Mlflow;

/// <summary>runs/* and metrics/* request/response pairs as MLflow's REST API reference documents them; and a run
/// logged through MLflow is an ordinary Tracker run.</summary>
public abstract class MlflowRunContractTests(ServerFixture fixture)
{
    private MlflowClient Client => new(fixture.Server.CreateHttpClient());

    [Fact]
    public async Task Create_and_get_run_in_MLflow_shape()
    {
        var exp = await Client.CreateExperimentAsync("runs-shape");
        var created = await Client.OkAsync(
            "runs/create",
            $$"""
            {"experiment_id":"{{exp}}","user_id":"alice","run_name":"first","start_time":"1700000000000",
             "tags":[{"key":"mlflow.source.name","value":"train.py"},{"key":"team","value":"nlp"},{"key":"mlflow.note.content","value":"hello"}]}
            """
        );
        var info = created.GetProperty("run").GetProperty("info");
        var runId = info.GetProperty("run_id").GetString()!;
        Assert.Equal(runId, info.GetProperty("run_uuid").GetString());
        Assert.Equal("first", info.GetProperty("run_name").GetString());
        Assert.Equal(exp, info.GetProperty("experiment_id").GetString());
        Assert.Equal("alice", info.GetProperty("user_id").GetString());
        Assert.Equal("RUNNING", info.GetProperty("status").GetString());
        Assert.Equal(1700000000000, info.GetProperty("start_time").GetInt64());
        Assert.False(info.TryGetProperty("end_time", out _));
        Assert.Equal("active", info.GetProperty("lifecycle_stage").GetString());

        var run = (await Client.OkGetAsync($"runs/get?run_id={runId}")).GetProperty("run");
        var tags = run.GetProperty("data")
            .GetProperty("tags")
            .EnumerateArray()
            .ToDictionary(t => t.GetProperty("key").GetString()!, t => t.GetProperty("value").GetString());
        Assert.Equal("train.py", tags["mlflow.source.name"]);
        Assert.Equal("nlp", tags["team"]);
        Assert.Equal("first", tags["mlflow.runName"]);
        Assert.Equal("hello", tags["mlflow.note.content"]);
        Assert.Equal(runId, (await Client.OkGetAsync($"runs/get?run_uuid={runId}")).GetProperty("run").GetProperty("info").GetProperty("run_id").GetString());

        AssertError(await Client.GetAsync("runs/get?run_id=doesnotexist"), HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST");
        AssertError(await Client.GetAsync("runs/get"), HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
        AssertError(await Client.PostAsync("runs/create", """{"experiment_id":"999999"}"""), HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST");
    }

    [Fact]
    public async Task Run_without_experiment_goes_to_Default()
    {
        var created = await Client.OkAsync("runs/create", """{"start_time":1700000000000}""");
        Assert.Equal("0", created.GetProperty("run").GetProperty("info").GetProperty("experiment_id").GetString());
    }

    [Fact]
    public async Task Log_batch_then_history_round_trips_values_steps_and_timestamps()
    {
        var run = await Client.CreateRunAsync(await Client.CreateExperimentAsync("batch-history"));
        Assert.Equal(
            "{}",
            (
                await Client.OkAsync(
                    "runs/log-batch",
                    $$"""
                    {"run_id":"{{run}}",
                     "metrics":[{"key":"loss","value":1.5,"timestamp":1700000000001,"step":0},
                                {"key":"loss","value":"NaN","timestamp":"1700000000002","step":"1"},
                                {"key":"loss","value":"Infinity","timestamp":1700000000003,"step":2},
                                {"key":"loss","value":null,"timestamp":1700000000004,"step":3},
                                {"key":"acc","value":0.5,"timestamp":1700000000005}],
                     "params":[{"key":"lr","value":"0.001"},{"key":"optimizer","value":"adam"}],
                     "tags":[{"key":"mlflow.runName","value":"renamed"},{"key":"stage","value":"dev"}]}
                    """
                )
            ).GetRawText()
        );
        var history = await Client.OkGetAsync($"metrics/get-history?run_id={run}&metric_key=loss");
        var points = history.GetProperty("metrics").EnumerateArray().ToList();
        Assert.Equal(4, points.Count);
        Assert.Equal(1.5, points[0].GetProperty("value").GetDouble());
        Assert.Equal("NaN", points[1].GetProperty("value").GetString());
        Assert.Equal("Infinity", points[2].GetProperty("value").GetString());
        Assert.Equal("NaN", points[3].GetProperty("value").GetString());
        Assert.Equal([0L, 1, 2, 3], points.Select(p => p.GetProperty("step").GetInt64()));
        Assert.Equal(1700000000002, points[1].GetProperty("timestamp").GetInt64());
        Assert.All(points, p => Assert.Equal("loss", p.GetProperty("key").GetString()));
        var acc = await Client.OkGetAsync($"metrics/get-history?run_uuid={run}&metric_key=acc");
        Assert.Equal(0, acc.GetProperty("metrics")[0].GetProperty("step").GetInt64());

        var data = (await Client.OkGetAsync($"runs/get?run_id={run}")).GetProperty("run");
        Assert.Equal("renamed", data.GetProperty("info").GetProperty("run_name").GetString());
        var parameters = data.GetProperty("data")
            .GetProperty("params")
            .EnumerateArray()
            .ToDictionary(p => p.GetProperty("key").GetString()!, p => p.GetProperty("value").GetString());
        Assert.Equal("0.001", parameters["lr"]);
        var latest = data.GetProperty("data").GetProperty("metrics").EnumerateArray().ToDictionary(m => m.GetProperty("key").GetString()!);
        Assert.Equal(3, latest["loss"].GetProperty("step").GetInt64());

        var empty = await Client.OkGetAsync($"metrics/get-history?run_id={run}&metric_key=unknown");
        Assert.False(empty.TryGetProperty("metrics", out _));
    }

    [Fact]
    public async Task History_without_max_results_answers_a_series_longer_than_a_read_chunk_whole_and_in_order()
    {
        // Streamed in chunks of 10,000 points: 25,000 points take three reads and one response.
        const int Count = 25_000;
        var run = await Client.CreateRunAsync(await Client.CreateExperimentAsync("long-history"));
        var native = fixture.Server.CreateClient();
        for (var seq = 1; seq <= 5; seq++)
            await native.LogMetricsAsync(run, Points.Batch(seq, Points.Series("long", (seq - 1) * 5_000L, 5_000, s => s * 0.5)));
        var history = await Client.OkGetAsync($"metrics/get-history?run_id={run}&metric_key=long");
        var points = history.GetProperty("metrics").EnumerateArray().ToList();
        Assert.Equal(Enumerable.Range(0, Count).Select(i => (long)i), points.Select(p => p.GetProperty("step").GetInt64()));
        Assert.Equal(12_345 * 0.5, points[12_345].GetProperty("value").GetDouble());
        Assert.False(history.TryGetProperty("next_page_token", out _));
    }

    [Fact]
    public async Task History_pages_with_max_results_and_page_token()
    {
        var run = await Client.CreateRunAsync(await Client.CreateExperimentAsync("paged-history"));
        var metrics = string.Join(",", Enumerable.Range(0, 25).Select(i => $$"""{"key":"x","value":{{i}},"timestamp":{{1700000000000 + i}},"step":{{i}}}"""));
        await Client.OkAsync("runs/log-batch", $$"""{"run_id":"{{run}}","metrics":[{{metrics}}]}""");
        var steps = new List<long>();
        string? token = null;
        do
        {
            var page = await Client.OkGetAsync($"metrics/get-history?run_id={run}&metric_key=x&max_results=10" + (token is null ? "" : "&page_token=" + token));
            steps.AddRange(page.GetProperty("metrics").EnumerateArray().Select(p => p.GetProperty("step").GetInt64()));
            token = page.TryGetProperty("next_page_token", out var t) ? t.GetString() : null;
        } while (token is not null);
        Assert.Equal(Enumerable.Range(0, 25).Select(i => (long)i), steps);

        var bulk = await Client.OkGetAsync($"metrics/get-history-bulk-interval?run_ids={run}&metric_key=x&max_results=5");
        var sampled = bulk.GetProperty("metrics").EnumerateArray().ToList();
        Assert.InRange(sampled.Count, 1, 5);
        Assert.All(sampled, p => Assert.Equal(run, p.GetProperty("run_id").GetString()));
        var window = await Client.OkGetAsync($"metrics/get-history-bulk-interval?run_ids={run}&metric_key=x&start_step=3&end_step=6");
        Assert.Equal([3L, 4, 5, 6], window.GetProperty("metrics").EnumerateArray().Select(p => p.GetProperty("step").GetInt64()));
        AssertError(
            await Client.GetAsync($"metrics/get-history-bulk-interval?run_ids={run}&metric_key=x&start_step=3"),
            HttpStatusCode.BadRequest,
            "INVALID_PARAMETER_VALUE"
        );
        AssertError(await Client.GetAsync($"metrics/get-history?run_id=nope&metric_key=x"), HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST");
    }

    [Fact]
    public async Task Log_metric_defaults_step_to_0_and_validates()
    {
        var run = await Client.CreateRunAsync(await Client.CreateExperimentAsync("log-metric"));
        Assert.Equal(
            "{}",
            (await Client.OkAsync("runs/log-metric", $$"""{"run_id":"{{run}}","key":"m","value":2.5,"timestamp":1700000000000}""")).GetRawText()
        );
        await Client.OkAsync("runs/log-metric", $$"""{"run_uuid":"{{run}}","key":"m","value":"-Infinity","timestamp":"1700000000001","step":"7"}""");
        var points = (await Client.OkGetAsync($"metrics/get-history?run_id={run}&metric_key=m")).GetProperty("metrics").EnumerateArray().ToList();
        Assert.Equal([0L, 7], points.Select(p => p.GetProperty("step").GetInt64()));
        Assert.Equal("-Infinity", points[1].GetProperty("value").GetString());

        AssertError(
            await Client.PostAsync("runs/log-metric", $$"""{"run_id":"{{run}}","key":"bad\u0021key","value":1,"timestamp":1}"""),
            HttpStatusCode.BadRequest,
            "INVALID_PARAMETER_VALUE"
        );
        AssertError(
            await Client.PostAsync("runs/log-metric", $$"""{"run_id":"{{run}}","key":"{{new string('k', 251)}}","value":1,"timestamp":1}"""),
            HttpStatusCode.BadRequest,
            "INVALID_PARAMETER_VALUE"
        );
        AssertError(
            await Client.PostAsync("runs/log-metric", $$"""{"run_id":"{{run}}","key":"m","value":"abc","timestamp":1}"""),
            HttpStatusCode.BadRequest,
            "INVALID_PARAMETER_VALUE"
        );
        AssertError(
            await Client.PostAsync("runs/log-metric", $$"""{"run_id":"{{run}}","key":"m","value":1}"""),
            HttpStatusCode.BadRequest,
            "INVALID_PARAMETER_VALUE"
        );
        AssertError(
            await Client.PostAsync("runs/log-metric", $$"""{"run_id":"{{run}}","key":"m","value":1,"timestamp":"soon"}"""),
            HttpStatusCode.BadRequest,
            "INVALID_PARAMETER_VALUE"
        );
        AssertError(
            await Client.PostAsync("runs/log-metric", """{"run_id":"missing-run","key":"m","value":1,"timestamp":1}"""),
            HttpStatusCode.NotFound,
            "RESOURCE_DOES_NOT_EXIST"
        );
        AssertError(await Client.PostAsync("runs/log-metric", """{"key":"m","value":1,"timestamp":1}"""), HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
    }

    [Fact]
    public async Task Log_batch_limits_are_enforced_all_or_nothing()
    {
        var run = await Client.CreateRunAsync(await Client.CreateExperimentAsync("batch-limits"));
        var tooMany = string.Join(",", Enumerable.Range(0, 1001).Select(i => $$"""{"key":"x","value":1,"timestamp":1,"step":{{i}}}"""));
        AssertError(
            await Client.PostAsync("runs/log-batch", $$"""{"run_id":"{{run}}","metrics":[{{tooMany}}]}"""),
            HttpStatusCode.BadRequest,
            "INVALID_PARAMETER_VALUE"
        );
        var params101 = string.Join(",", Enumerable.Range(0, 101).Select(i => $$"""{"key":"p{{i}}","value":"v"}"""));
        AssertError(
            await Client.PostAsync("runs/log-batch", $$"""{"run_id":"{{run}}","params":[{{params101}}]}"""),
            HttpStatusCode.BadRequest,
            "INVALID_PARAMETER_VALUE"
        );
        var tags101 = string.Join(",", Enumerable.Range(0, 101).Select(i => $$"""{"key":"t{{i}}","value":"v"}"""));
        AssertError(
            await Client.PostAsync("runs/log-batch", $$"""{"run_id":"{{run}}","tags":[{{tags101}}]}"""),
            HttpStatusCode.BadRequest,
            "INVALID_PARAMETER_VALUE"
        );
        var big = new string('a', 1024 * 1024);
        AssertError(
            await Client.PostAsync("runs/log-batch", $$"""{"run_id":"{{run}}","tags":[{"key":"t","value":"{{big}}"}]}"""),
            HttpStatusCode.BadRequest,
            "INVALID_PARAMETER_VALUE"
        );
        // A bad metric anywhere rejects the whole batch: the good one before it is not stored.
        AssertError(
            await Client.PostAsync(
                "runs/log-batch",
                $$"""{"run_id":"{{run}}","metrics":[{"key":"ok","value":1,"timestamp":1},{"key":"bad key!","value":1,"timestamp":1}]}"""
            ),
            HttpStatusCode.BadRequest,
            "INVALID_PARAMETER_VALUE"
        );
        Assert.False((await Client.OkGetAsync($"metrics/get-history?run_id={run}&metric_key=ok")).TryGetProperty("metrics", out _));
        var exactly1000 = string.Join(",", Enumerable.Range(0, 1000).Select(i => $$"""{"key":"x","value":{{i}},"timestamp":1,"step":{{i}}}"""));
        await Client.OkAsync("runs/log-batch", $$"""{"run_id":"{{run}}","metrics":[{{exactly1000}}]}""");
    }

    [Fact]
    public async Task Params_are_immutable_and_tags_can_be_set_and_deleted()
    {
        var run = await Client.CreateRunAsync(await Client.CreateExperimentAsync("params-tags"));
        await Client.OkAsync("runs/log-parameter", $$"""{"run_id":"{{run}}","key":"batch_size","value":"32"}""");
        await Client.OkAsync("runs/log-parameter", $$"""{"run_uuid":"{{run}}","key":"batch_size","value":"32"}""");
        AssertError(
            await Client.PostAsync("runs/log-parameter", $$"""{"run_id":"{{run}}","key":"batch_size","value":"64"}"""),
            HttpStatusCode.BadRequest,
            "INVALID_PARAMETER_VALUE"
        );
        AssertError(
            await Client.PostAsync("runs/log-batch", $$"""{"run_id":"{{run}}","params":[{"key":"batch_size","value":"128"}]}"""),
            HttpStatusCode.BadRequest,
            "INVALID_PARAMETER_VALUE"
        );

        await Client.OkAsync("runs/set-tag", $$"""{"run_id":"{{run}}","key":"color","value":"red"}""");
        await Client.OkAsync("runs/set-tag", $$"""{"run_id":"{{run}}","key":"color","value":"blue"}""");
        await Client.OkAsync("runs/set-tag", $$"""{"run_id":"{{run}}","key":"mlflow.note.content","value":"a note"}""");
        var tags = await TagsAsync(run);
        Assert.Equal("blue", tags["color"]);
        Assert.Equal("a note", tags["mlflow.note.content"]);
        await Client.OkAsync("runs/delete-tag", $$"""{"run_id":"{{run}}","key":"color"}""");
        Assert.False((await TagsAsync(run)).ContainsKey("color"));
        AssertError(await Client.PostAsync("runs/delete-tag", $$"""{"run_id":"{{run}}","key":"color"}"""), HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST");

        var native = JsonDocument.Parse(await fixture.Server.CreateHttpClient().GetStringAsync($"api/v1/runs/{run}")).RootElement;
        Assert.Equal("32", native.GetProperty("config").GetProperty("batch_size").GetString());
        Assert.Equal("a note", native.GetProperty("notes").GetString());
        Assert.DoesNotContain("color:blue", native.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
    }

    [Fact]
    public async Task Update_delete_restore_run()
    {
        var run = await Client.CreateRunAsync(await Client.CreateExperimentAsync("update-run"));
        var updated = await Client.OkAsync("runs/update", $$"""{"run_id":"{{run}}","status":"FINISHED","end_time":1700000009000,"run_name":"done"}""");
        var info = updated.GetProperty("run_info");
        Assert.Equal("FINISHED", info.GetProperty("status").GetString());
        Assert.Equal(1700000009000, info.GetProperty("end_time").GetInt64());
        Assert.Equal("done", info.GetProperty("run_name").GetString());
        var native = JsonDocument.Parse(await fixture.Server.CreateHttpClient().GetStringAsync($"api/v1/runs/{run}")).RootElement;
        Assert.Equal("finished", native.GetProperty("state").GetString());

        // MLflow lets clients log to an ended run; it keeps its status.
        await Client.OkAsync("runs/log-metric", $$"""{"run_id":"{{run}}","key":"late","value":1,"timestamp":1700000010000}""");
        Assert.Equal("FINISHED", (await Client.OkGetAsync($"runs/get?run_id={run}")).GetProperty("run").GetProperty("info").GetProperty("status").GetString());
        Assert.Single((await Client.OkGetAsync($"metrics/get-history?run_id={run}&metric_key=late")).GetProperty("metrics").EnumerateArray());

        AssertError(await Client.PostAsync("runs/update", $$"""{"run_id":"{{run}}","status":"DONE"}"""), HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
        await Client.OkAsync("runs/delete", $$"""{"run_id":"{{run}}"}""");
        Assert.Equal(
            "deleted",
            (await Client.OkGetAsync($"runs/get?run_id={run}")).GetProperty("run").GetProperty("info").GetProperty("lifecycle_stage").GetString()
        );
        AssertError(
            await Client.PostAsync("runs/log-metric", $$"""{"run_id":"{{run}}","key":"x","value":1,"timestamp":1}"""),
            HttpStatusCode.BadRequest,
            "INVALID_PARAMETER_VALUE"
        );
        await Client.OkAsync("runs/restore", $$"""{"run_id":"{{run}}"}""");
        Assert.Equal(
            "active",
            (await Client.OkGetAsync($"runs/get?run_id={run}")).GetProperty("run").GetProperty("info").GetProperty("lifecycle_stage").GetString()
        );
        AssertError(await Client.PostAsync("runs/delete", """{"run_id":"nope"}"""), HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST");
    }

    [Fact]
    public async Task Search_runs_with_filter_order_by_and_pages()
    {
        var exp = await Client.CreateExperimentAsync("search-runs");
        var ids = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            var run = await Client.CreateRunAsync(exp, $$""","run_name":"r{{i}}" """);
            ids.Add(run);
            await Client.OkAsync(
                "runs/log-batch",
                $$"""
                {"run_id":"{{run}}","metrics":[{"key":"val_loss","value":{{1.0 - (i * 0.2)}},"timestamp":1}],
                 "params":[{"key":"lr","value":"{{(i % 2 == 0 ? "0.1" : "0.01")}}"}],"tags":[{"key":"model","value":"{{(i < 2 ? "cnn" : "mlp")}}"}]}
                """
            );
        }
        await Client.OkAsync("runs/update", $$"""{"run_id":"{{ids[3]}}","status":"FINISHED"}""");

        async Task<List<string>> Names(string body) =>
            (await Client.OkAsync("runs/search", body)).TryGetProperty("runs", out var runs)
                ? runs.EnumerateArray().Select(r => r.GetProperty("info").GetProperty("run_name").GetString()!).ToList()
                : [];

        Assert.Equal(
            ["r1", "r2", "r3"],
            await Names($$"""{"experiment_ids":["{{exp}}"],"filter":"metrics.val_loss < 0.9","order_by":["metrics.val_loss DESC"]}""")
        );
        Assert.Equal(["r0", "r2"], await Names($$"""{"experiment_ids":["{{exp}}"],"filter":"params.lr = '0.1'","order_by":["attributes.run_name ASC"]}"""));
        Assert.Equal(["r2"], await Names($$"""{"experiment_ids":["{{exp}}"],"filter":"params.lr = '0.1' and tags.model LIKE 'ml%'"}"""));
        Assert.Equal(
            ["r2", "r3"],
            await Names($$"""{"experiment_ids":["{{exp}}"],"filter":"tags.`model` ILIKE 'MLP'","order_by":["metrics.val_loss DESC"]}""")
        );
        Assert.Equal(["r3"], await Names($$"""{"experiment_ids":["{{exp}}"],"filter":"attributes.status = 'FINISHED'"}"""));
        Assert.Equal(
            ["r0", "r1", "r2"],
            await Names(
                $$"""{"experiment_ids":["{{exp}}"],"filter":"attributes.status != 'FINISHED' and metrics.val_loss >= 0.5","order_by":["metrics.val_loss DESC"]}"""
            )
        );
        Assert.Equal(["r1"], await Names($$"""{"experiment_ids":["{{exp}}"],"filter":"attributes.run_id = '{{ids[1]}}'"}"""));
        Assert.Equal(
            ["r3", "r2", "r1", "r0"],
            await Names($$"""{"experiment_ids":["{{exp}}"],"order_by":["attributes.start_time DESC", "attributes.run_name DESC"]}""")
        );

        var page1 = await Client.OkAsync("runs/search", $$"""{"experiment_ids":["{{exp}}"],"max_results":3,"order_by":["run_name"]}""");
        Assert.Equal(3, page1.GetProperty("runs").GetArrayLength());
        var page2 = await Client.OkAsync(
            "runs/search",
            $$"""{"experiment_ids":["{{exp}}"],"max_results":3,"order_by":["run_name"],"page_token":"{{page1.GetProperty("next_page_token").GetString()}}"}"""
        );
        Assert.Equal("r3", page2.GetProperty("runs")[0].GetProperty("info").GetProperty("run_name").GetString());

        await Client.OkAsync("runs/delete", $$"""{"run_id":"{{ids[0]}}"}""");
        Assert.Equal(["r0"], await Names($$"""{"experiment_ids":["{{exp}}"],"run_view_type":"DELETED_ONLY"}"""));
        Assert.Equal(4, (await Names($$"""{"experiment_ids":["{{exp}}"],"run_view_type":"ALL"}""")).Count);

        AssertError(
            await Client.PostAsync("runs/search", $$"""{"experiment_ids":["{{exp}}"],"filter":"params.lr > '0.1'"}"""),
            HttpStatusCode.BadRequest,
            "INVALID_PARAMETER_VALUE"
        );
        AssertError(
            await Client.PostAsync("runs/search", $$"""{"experiment_ids":["{{exp}}"],"filter":"metrics.val_loss LIKE 'x'"}"""),
            HttpStatusCode.BadRequest,
            "INVALID_PARAMETER_VALUE"
        );
        AssertError(
            await Client.PostAsync("runs/search", $$"""{"experiment_ids":["{{exp}}"],"filter":"foo.bar = 1"}"""),
            HttpStatusCode.BadRequest,
            "INVALID_PARAMETER_VALUE"
        );
        AssertError(
            await Client.PostAsync("runs/search", $$"""{"experiment_ids":["{{exp}}"],"max_results":50001}"""),
            HttpStatusCode.BadRequest,
            "INVALID_PARAMETER_VALUE"
        );
    }

    [Fact]
    public async Task Run_logged_via_MLflow_is_a_normal_tracker_run()
    {
        var run = await Client.CreateRunAsync(await Client.CreateExperimentAsync("native-view"));
        var metrics = string.Join(
            ",",
            Enumerable
                .Range(0, 200)
                .Select(i =>
                    $$"""{"key":"loss","value":{{Math.Exp(-i / 50.0).ToString(System.Globalization.CultureInfo.InvariantCulture)}},"timestamp":{{1700000000000 + i}},"step":{{i}}}"""
                )
        );
        await Client.OkAsync("runs/log-batch", $$"""{"run_id":"{{run}}","metrics":[{{metrics}}],"params":[{"key":"lr","value":"0.001"}]}""");
        var http = fixture.Server.CreateHttpClient();
        var native = JsonDocument.Parse(await http.GetStringAsync($"api/v1/runs/{run}")).RootElement;
        Assert.Equal("native-view", native.GetProperty("project").GetString());
        Assert.Equal("running", native.GetProperty("state").GetString());
        Assert.Equal("0.001", native.GetProperty("config").GetProperty("lr").GetString());
        Assert.Equal(200, native.GetProperty("summary").GetProperty("loss").GetProperty("count").GetInt64());
        using var analysis = await http.GetAsync($"api/v1/runs/{run}/analysis");
        Assert.Equal(HttpStatusCode.OK, analysis.StatusCode);
        var history = JsonDocument.Parse(await http.GetStringAsync($"api/v1/runs/{run}/metrics/loss")).RootElement;
        Assert.Equal(200, history.GetProperty("count").GetInt64());
    }

    [Fact]
    public async Task Auth_errors_are_MLflow_shaped_and_basic_auth_works()
    {
        var anonymous = new MlflowClient(fixture.Server.CreateHttpClient(apiKey: null));
        AssertError(await anonymous.GetAsync("experiments/get?experiment_id=0"), HttpStatusCode.Unauthorized, "UNAUTHENTICATED");
        var wrong = new MlflowClient(fixture.Server.CreateHttpClient(apiKey: "trk_wrong"));
        AssertError(await wrong.PostAsync("experiments/create", """{"name":"x"}"""), HttpStatusCode.Unauthorized, "UNAUTHENTICATED");

        var basicHttp = fixture.Server.CreateHttpClient(apiKey: null);
        basicHttp.DefaultRequestHeaders.Authorization = Basic("someone", Tracker.TestSupport.TrackerServer.AdminKey);
        var basic = new MlflowClient(basicHttp);
        Assert.NotNull(await basic.CreateExperimentAsync("via-basic"));

        using var keyResponse = await fixture
            .Server.CreateHttpClient()
            .PostAsync("api/v1/keys", new StringContent("""{"name":"reader","scope":"read"}""", Encoding.UTF8, "application/json"));
        var readKey = JsonDocument.Parse(await keyResponse.Content.ReadAsStringAsync()).RootElement.GetProperty("key").GetString();
        var reader = new MlflowClient(fixture.Server.CreateHttpClient(readKey));
        AssertError(await reader.PostAsync("experiments/create", """{"name":"by-reader"}"""), HttpStatusCode.Forbidden, "PERMISSION_DENIED");
        await reader.OkGetAsync("experiments/get?experiment_id=0");

        AssertError(await Client.GetAsync("artifacts/list?run_id=x"), HttpStatusCode.NotFound, "ENDPOINT_NOT_FOUND");
    }

    private async Task<Dictionary<string, string?>> TagsAsync(string run) =>
        (await Client.OkGetAsync($"runs/get?run_id={run}"))
            .GetProperty("run")
            .GetProperty("data")
            .GetProperty("tags")
            .EnumerateArray()
            .ToDictionary(t => t.GetProperty("key").GetString()!, t => t.GetProperty("value").GetString());

    [Fact]
    public async Task A_pathological_like_pattern_on_a_long_name_answers_at_once()
    {
        var exp = await Client.CreateExperimentAsync("like-" + Guid.NewGuid().ToString("N")[..8]);
        var longName = new string('a', 200);
        await Client.CreateRunAsync(exp, $$""","run_name":"{{longName}}" """);
        await Client.CreateRunAsync(exp, $$""","run_name":"{{longName[..100]}}b" """);

        async Task<List<string>> Names(string pattern) =>
            (await Client.OkAsync("runs/search", $$"""{"experiment_ids":["{{exp}}"],"filter":"attributes.run_name LIKE '{{pattern}}'"}""")).TryGetProperty(
                "runs",
                out var runs
            )
                ? runs.EnumerateArray().Select(r => r.GetProperty("info").GetProperty("run_name").GetString()!).ToList()
                : [];

        var watch = System.Diagnostics.Stopwatch.StartNew();
        Assert.Equal([longName[..100] + "b"], await Names("%a%a%a%a%a%a%a%b"));
        Assert.Equal(2, (await Names("%a%a%a%a%a%a%a%")).Count);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"{watch.Elapsed.TotalMilliseconds:0} ms");
    }
}

public sealed class PostgresMlflowRunContractTests(PostgresServerFixture f) : MlflowRunContractTests(f), IClassFixture<PostgresServerFixture>;

public sealed class SqliteMlflowRunContractTests(SqliteServerFixture f) : MlflowRunContractTests(f), IClassFixture<SqliteServerFixture>;
