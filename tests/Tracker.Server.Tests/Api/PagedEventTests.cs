using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Tracker.Sdk.Contracts;
using Tracker.Server.Storage;
using Tracker.Server.Storage.Entities;

namespace Tracker.Server.Tests.Api;

/// <summary><c>GET /runs/{id}/events?limit=&amp;cursor=</c>: keyset pages, oldest first, each event once even while
/// events are appended between pages; a bad limit or cursor is 400 naming it.</summary>
public abstract class PagedEventTests(ServerFixture fixture)
{
    [Fact]
    public async Task Pages_of_events_hold_every_event_once_in_order_while_events_are_appended()
    {
        var client = fixture.Server.CreateClient();
        var run = await client.CreateRunAsync("paged-events", new CreateRunRequest());
        await AddEventsAsync(run.Id, 23, "first");

        var seen = new List<RunEventDto>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await client.ListEventsAsync(run.Id, 5, cursor);
            Assert.InRange(page.Events.Count, 1, 5);
            seen.AddRange(page.Events);
            cursor = page.NextCursor;
            if (++pages == 2)
                await AddEventsAsync(run.Id, 4, "later"); // appended while paging: they come at the end
        } while (cursor is not null);

        var all = (await client.ListEventsAsync(run.Id)).Events;
        Assert.Null((await client.ListEventsAsync(run.Id)).NextCursor);
        Assert.Equal(all.Select(e => e.Id), seen.Select(e => e.Id));
        Assert.Equal(seen.Select(e => e.Id).Order(), seen.Select(e => e.Id));
        Assert.Equal(4, seen.Count(e => e.Message == "later"));
        Assert.Equal(23, seen.Count(e => e.Message == "first"));
    }

    [Theory]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=100000", "limit")]
    [InlineData("limit=x", "limit")]
    [InlineData("cursor=abc", "cursor")]
    [InlineData("cursor=-1", "cursor")]
    public async Task A_bad_limit_or_cursor_is_a_400_naming_it(string query, string field)
    {
        var client = fixture.Server.CreateClient();
        var run = await client.CreateRunAsync("paged-events", new CreateRunRequest());
        using var http = fixture.Server.CreateHttpClient();
        using var response = await http.GetAsync($"api/v1/runs/{run.Id}/events?{query}");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(field, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private async Task AddEventsAsync(string runId, int count, string message)
    {
        await using var scope = fixture.Server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TrackerDbContext>();
        for (var i = 0; i < count; i++)
            db.Events.Add(
                new RunEventEntity
                {
                    RunId = runId,
                    Kind = "verdict",
                    TimeMs = 1_700_000_000_000 + i,
                    Message = message,
                }
            );
        await db.SaveChangesAsync();
    }
}

[Trait("Store", "Postgres")]
public sealed class PostgresPagedEventTests(PostgresServerFixture f) : PagedEventTests(f), IClassFixture<PostgresServerFixture>;

[Trait("Store", "Sqlite")]
public sealed class SqlitePagedEventTests(SqliteServerFixture f) : PagedEventTests(f), IClassFixture<SqliteServerFixture>;
