using System.Net;
using System.Text.Json;
using Tracker.Server.Tests.Api;
using static Tracker.Server.Tests.Mlflow.MlflowClient;

namespace Tracker.Server.Tests.Mlflow;

/// <summary>experiments/* request/response pairs as MLflow's REST API reference documents them.</summary>
public abstract class MlflowExperimentContractTests(ServerFixture fixture)
{
    private MlflowClient Client => new(fixture.Server.CreateHttpClient());

    [Fact]
    public async Task Create_returns_an_id_and_get_returns_the_experiment()
    {
        var id = await Client.CreateExperimentAsync("/Users/me@x.org/My Experiment");
        Assert.True(long.TryParse(id, out _));
        var body = await Client.OkGetAsync($"experiments/get?experiment_id={id}");
        var e = body.GetProperty("experiment");
        Assert.Equal(id, e.GetProperty("experiment_id").GetString());
        Assert.Equal("/Users/me@x.org/My Experiment", e.GetProperty("name").GetString());
        Assert.Equal("active", e.GetProperty("lifecycle_stage").GetString());
        Assert.Equal(JsonValueKind.Number, e.GetProperty("creation_time").ValueKind);
        Assert.Equal(JsonValueKind.Number, e.GetProperty("last_update_time").ValueKind);

        var byName = await Client.OkGetAsync("experiments/get-by-name?experiment_name=" + Uri.EscapeDataString("/Users/me@x.org/My Experiment"));
        Assert.Equal(id, byName.GetProperty("experiment").GetProperty("experiment_id").GetString());
    }

    [Fact]
    public async Task Duplicate_name_is_RESOURCE_ALREADY_EXISTS_400()
    {
        await Client.CreateExperimentAsync("dup-exp");
        AssertError(await Client.PostAsync("experiments/create", """{"name":"dup-exp"}"""), HttpStatusCode.BadRequest, "RESOURCE_ALREADY_EXISTS");
    }

    [Fact]
    public async Task Missing_name_and_unknown_ids_are_reported_like_MLflow()
    {
        AssertError(await Client.PostAsync("experiments/create", "{}"), HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
        AssertError(await Client.GetAsync("experiments/get?experiment_id=987654"), HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST");
        AssertError(await Client.GetAsync("experiments/get-by-name?experiment_name=nope-nope"), HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST");
        AssertError(await Client.GetAsync("experiments/get?experiment_id=abc"), HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
        AssertError(await Client.PostAsync("experiments/create", "{not json"), HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
    }

    [Fact]
    public async Task Default_experiment_0_always_exists()
    {
        var e = (await Client.OkGetAsync("experiments/get?experiment_id=0")).GetProperty("experiment");
        Assert.Equal("Default", e.GetProperty("name").GetString());
        var byName = await Client.OkGetAsync("experiments/get-by-name?experiment_name=Default");
        Assert.Equal("0", byName.GetProperty("experiment").GetProperty("experiment_id").GetString());
        AssertError(await Client.PostAsync("experiments/delete", """{"experiment_id":"0"}"""), HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
    }

    [Fact]
    public async Task Deleting_an_experiment_deletes_its_runs_and_restoring_restores_them()
    {
        var id = await Client.CreateExperimentAsync("cascade");
        var run = await Client.CreateRunAsync(id);
        static string Stage(JsonElement body) => body.GetProperty("run").GetProperty("info").GetProperty("lifecycle_stage").GetString()!;

        await Client.OkAsync("experiments/delete", $$"""{"experiment_id":"{{id}}"}""");
        Assert.Equal("deleted", Stage(await Client.OkGetAsync($"runs/get?run_id={run}")));
        var search = $$"""{"experiment_ids":["{{id}}"],"run_view_type":"DELETED_ONLY"}""";
        Assert.Single((await Client.OkAsync("runs/search", search)).GetProperty("runs").EnumerateArray());

        await Client.OkAsync("experiments/restore", $$"""{"experiment_id":"{{id}}"}""");
        Assert.Equal("active", Stage(await Client.OkGetAsync($"runs/get?run_id={run}")));
    }

    [Fact]
    public async Task Update_delete_restore_and_tags()
    {
        var id = await Client.CreateExperimentAsync("to-rename");
        Assert.Equal("{}", (await Client.OkAsync("experiments/update", $$"""{"experiment_id":"{{id}}","new_name":"Renamed Exp"}""")).GetRawText());
        Assert.Equal("Renamed Exp", (await Client.OkGetAsync($"experiments/get?experiment_id={id}")).GetProperty("experiment").GetProperty("name").GetString());

        await Client.OkAsync("experiments/set-experiment-tag", $$"""{"experiment_id":"{{id}}","key":"team","value":"vision"}""");
        var tags = (await Client.OkGetAsync($"experiments/get?experiment_id={id}")).GetProperty("experiment").GetProperty("tags");
        Assert.Contains(tags.EnumerateArray(), t => t.GetProperty("key").GetString() == "team" && t.GetProperty("value").GetString() == "vision");
        AssertError(
            await Client.PostAsync("experiments/set-experiment-tag", $$"""{"experiment_id":"{{id}}","key":"bad key!","value":"x"}"""),
            HttpStatusCode.BadRequest,
            "INVALID_PARAMETER_VALUE"
        );

        await Client.OkAsync("experiments/delete", $$"""{"experiment_id":"{{id}}"}""");
        Assert.Equal(
            "deleted",
            (await Client.OkGetAsync($"experiments/get?experiment_id={id}")).GetProperty("experiment").GetProperty("lifecycle_stage").GetString()
        );
        var active = await Client.OkAsync("experiments/search", """{"filter":"name = 'Renamed Exp'"}""");
        Assert.False(active.TryGetProperty("experiments", out _));
        var deleted = await Client.OkAsync("experiments/search", """{"filter":"name = 'Renamed Exp'","view_type":"DELETED_ONLY"}""");
        Assert.Single(deleted.GetProperty("experiments").EnumerateArray());
        AssertError(await Client.PostAsync("runs/create", $$"""{"experiment_id":"{{id}}"}"""), HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");

        await Client.OkAsync("experiments/restore", $$"""{"experiment_id":"{{id}}"}""");
        Assert.Equal(
            "active",
            (await Client.OkGetAsync($"experiments/get?experiment_id={id}")).GetProperty("experiment").GetProperty("lifecycle_stage").GetString()
        );
        AssertError(await Client.PostAsync("experiments/delete", """{"experiment_id":"424242"}"""), HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST");
    }

    [Fact]
    public async Task Search_filters_orders_and_pages()
    {
        foreach (var n in new[] { "srch-b", "srch-a", "SRCH-c", "other-x" })
            await Client.CreateExperimentAsync(n);
        var like = await Client.OkAsync("experiments/search", """{"filter":"name LIKE 'srch-%'","order_by":["name ASC"]}""");
        Assert.Equal(["srch-a", "srch-b"], like.GetProperty("experiments").EnumerateArray().Select(e => e.GetProperty("name").GetString()));
        var ilike = await Client.OkAsync("experiments/search", """{"filter":"attribute.name ILIKE 'srch-%'","order_by":["name DESC"]}""");
        Assert.Equal(["srch-b", "srch-a", "SRCH-c"], ilike.GetProperty("experiments").EnumerateArray().Select(e => e.GetProperty("name").GetString()));
        var ne = await Client.OkAsync("experiments/search", """{"filter":"name != 'srch-a' AND name ILIKE 'srch%'"}""");
        Assert.Equal(2, ne.GetProperty("experiments").GetArrayLength());

        var page1 = await Client.OkAsync("experiments/search", """{"filter":"name ILIKE 'srch-%'","order_by":["name ASC"],"max_results":2}""");
        Assert.Equal(2, page1.GetProperty("experiments").GetArrayLength());
        var token = page1.GetProperty("next_page_token").GetString();
        var page2 = await Client.OkAsync(
            "experiments/search",
            $$"""{"filter":"name ILIKE 'srch-%'","order_by":["name ASC"],"max_results":2,"page_token":"{{token}}"}"""
        );
        Assert.Equal(["srch-b"], page2.GetProperty("experiments").EnumerateArray().Select(e => e.GetProperty("name").GetString()));
        Assert.False(page2.TryGetProperty("next_page_token", out _));

        var get = await Client.OkGetAsync("experiments/search?filter=" + Uri.EscapeDataString("name = 'srch-a'"));
        Assert.Single(get.GetProperty("experiments").EnumerateArray());
        AssertError(await Client.PostAsync("experiments/search", """{"max_results":50001}"""), HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
        AssertError(
            await Client.PostAsync("experiments/search", """{"filter":"name = 'a' OR name = 'b'"}"""),
            HttpStatusCode.BadRequest,
            "INVALID_PARAMETER_VALUE"
        );
    }

    [Fact]
    public async Task Removed_list_endpoint_still_answers()
    {
        await Client.CreateExperimentAsync("listed-exp");
        var body = await Client.OkGetAsync("experiments/list");
        Assert.Contains(body.GetProperty("experiments").EnumerateArray(), e => e.GetProperty("name").GetString() == "listed-exp");
    }

    [Fact]
    public async Task Ajax_prefix_serves_the_same_api()
    {
        var ajax = new MlflowClient(fixture.Server.CreateHttpClient(), "ajax-api/2.0/mlflow/");
        var id = await ajax.CreateExperimentAsync("via-ajax");
        Assert.Equal("via-ajax", (await Client.OkGetAsync($"experiments/get?experiment_id={id}")).GetProperty("experiment").GetProperty("name").GetString());
    }

    [Fact]
    public async Task Experiment_is_a_tracker_project()
    {
        var id = await Client.CreateExperimentAsync("Proj Via MLflow");
        var projects = await fixture.Server.CreateHttpClient().GetStringAsync("api/v1/projects");
        Assert.Contains("\"proj-via-mlflow\"", projects, StringComparison.Ordinal);
        Assert.NotEqual("0", id);
    }
}

public sealed class PostgresMlflowExperimentContractTests(PostgresServerFixture f) : MlflowExperimentContractTests(f), IClassFixture<PostgresServerFixture>;

public sealed class SqliteMlflowExperimentContractTests(SqliteServerFixture f) : MlflowExperimentContractTests(f), IClassFixture<SqliteServerFixture>;
