using System.Net;
using Tracker.Sdk.Client;
using Tracker.Sdk.Contracts;

namespace Tracker.Server.Tests.Api;

/// <summary>The SDK's rules (<see cref="MetricKeyRule"/>, <see cref="RunIdRule"/>, <see cref="SlugRule"/>) and the server's
/// answers agree on a table of valid and invalid examples: what the SDK lets through the server stores, and what it
/// stops the server rejects with 400. <c>{r}</c> in an example is a fresh random part, so that examples do not collide.</summary>
public abstract class RuleAgreementTests(ServerFixture fixture)
{
    public static TheoryData<string, bool> MetricKeys =>
        new()
        {
            { "loss", true },
            { "val/loss", true },
            { "train loss", true },
            { "a.b-c_D9", true },
            { new string('k', MetricKeyRule.MaxLength), true },
            { new string('k', MetricKeyRule.MaxLength + 1), false },
            { "", false },
            { "a,b", false },
            { "accuracy%", false },
            { "lösung", false },
            { "tab\tkey", false },
            { "loss\n", false },
        };

    public static TheoryData<string, bool> RunIds =>
        new()
        {
            { "{r}", true },
            { "{r}_A-9", true },
            { new string('x', RunIdRule.MaxLength - 8) + "{r}", true },
            { new string('x', RunIdRule.MaxLength - 7) + "{r}", false },
            { "", false },
            { "{r} x", false },
            { "{r}.x", false },
            { "{r}/x", false },
            { "é{r}", false },
        };

    public static TheoryData<string, bool> Slugs =>
        new()
        {
            { "p{r}", true },
            { "{r}.x_y-z", true },
            { "{r}" + new string('a', 92), true },
            { "{r}" + new string('a', 93), false },
            { "Upper{r}", false },
            { "-{r}", false },
            { "_{r}", false },
            { "{r} x", false },
            { "{r}/x", false },
            { "", false },
        };

    private static string Fill(string example) => example.Replace("{r}", RunIdRule.New(8), StringComparison.Ordinal);

    private static async Task<bool> AcceptedAsync(Func<Task> call)
    {
        try
        {
            await call();
            return true;
        }
        catch (TrackerApiException e) when (e.StatusCode == HttpStatusCode.BadRequest)
        {
            return false;
        }
    }

    [Theory]
    [MemberData(nameof(MetricKeys))]
    public async Task Sdk_and_server_agree_on_a_metric_key(string key, bool valid)
    {
        var client = fixture.Server.CreateClient();
        var run = await client.CreateRunAsync("rules", new CreateRunRequest());
        Assert.Equal(valid, MetricKeyRule.IsValid(key));
        Assert.Equal(valid, MetricKeyRule.Check(key) is null);
        Assert.Equal(valid, await AcceptedAsync(() => client.LogMetricsAsync(run.Id, new LogMetricsRequest(1, [new MetricPointInput(key, 0, 1.0)]))));
    }

    [Theory]
    [MemberData(nameof(RunIds))]
    public async Task Sdk_and_server_agree_on_a_run_id(string example, bool valid)
    {
        var id = Fill(example);
        Assert.Equal(valid, RunIdRule.IsValid(id));
        var client = fixture.Server.CreateClient();
        Assert.Equal(valid, await AcceptedAsync(() => client.CreateRunAsync("rules", new CreateRunRequest(Id: id))));
    }

    [Theory]
    [MemberData(nameof(Slugs))]
    public async Task Sdk_and_server_agree_on_a_project_slug(string example, bool valid)
    {
        var slug = Fill(example);
        Assert.Equal(valid, SlugRule.IsValid(slug));
        var client = fixture.Server.CreateClient();
        Assert.Equal(valid, await AcceptedAsync(() => client.CreateProjectAsync(new CreateProjectRequest(slug))));
    }

    [Fact]
    public void New_run_ids_follow_the_rule()
    {
        Assert.All(Enumerable.Range(0, 100).Select(_ => RunIdRule.New(8)), id => Assert.True(RunIdRule.IsValid(id)));
        Assert.Equal(12, RunIdRule.New(12).Length);
    }
}

[Trait("Store", "Postgres")]
public sealed class PostgresRuleAgreementTests(PostgresServerFixture fixture) : RuleAgreementTests(fixture), IClassFixture<PostgresServerFixture>;

[Trait("Store", "Sqlite")]
public sealed class SqliteRuleAgreementTests(SqliteServerFixture fixture) : RuleAgreementTests(fixture), IClassFixture<SqliteServerFixture>;
