using System.Net;
using Tracker.Sdk.Contracts;

namespace Tracker.Server.Tests.Api;

/// <summary><c>GET /projects?limit=&amp;cursor=</c>: keyset pages by name, each project once; a bad limit or cursor is
/// 400 naming it.</summary>
public abstract class PagedProjectTests(ServerFixture fixture)
{
    [Fact]
    public async Task Pages_of_projects_hold_every_project_once_by_name()
    {
        var client = fixture.Server.CreateClient();
        var prefix = "pp" + Guid.NewGuid().ToString("N")[..6];
        foreach (var i in new[] { 3, 0, 7, 1, 5, 2, 6, 4, 8, 9, 10 })
            await client.CreateProjectAsync(new CreateProjectRequest($"{prefix}-{i:D2}"));

        var seen = new List<string>();
        string? cursor = null;
        do
        {
            var page = await client.ListProjectsAsync(4, cursor);
            Assert.InRange(page.Projects.Count, 1, 4);
            seen.AddRange(page.Projects.Select(p => p.Name));
            cursor = page.NextCursor;
        } while (cursor is not null);

        var all = await client.ListProjectsAsync();
        Assert.Null(all.NextCursor);
        Assert.Equal(all.Projects.Select(p => p.Name), seen);
        Assert.Equal(Enumerable.Range(0, 11).Select(i => $"{prefix}-{i:D2}"), seen.Where(n => n.StartsWith(prefix, StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=100000", "limit")]
    [InlineData("cursor=%2E%2E%2Fx", "cursor")]
    public async Task A_bad_limit_or_cursor_is_a_400_naming_it(string query, string field)
    {
        using var http = fixture.Server.CreateHttpClient();
        using var response = await http.GetAsync($"api/v1/projects?{query}");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(field, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}

[Trait("Store", "Postgres")]
public sealed class PostgresPagedProjectTests(PostgresServerFixture f) : PagedProjectTests(f), IClassFixture<PostgresServerFixture>;

[Trait("Store", "Sqlite")]
public sealed class SqlitePagedProjectTests(SqliteServerFixture f) : PagedProjectTests(f), IClassFixture<SqliteServerFixture>;
