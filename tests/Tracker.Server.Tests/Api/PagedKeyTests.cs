using System.Net;
using Tracker.Sdk.Contracts;

namespace Tracker.Server.Tests.Api;

/// <summary><c>GET /keys?limit=&amp;cursor=</c>: keyset pages on (created, id), each key once, oldest first; a bad limit
/// or cursor is 400 naming it.</summary>
public abstract class PagedKeyTests(ServerFixture fixture)
{
    [Fact]
    public async Task Pages_of_keys_hold_every_key_once_oldest_first()
    {
        var client = fixture.Server.CreateClient();
        for (var i = 0; i < 9; i++)
            await client.CreateKeyAsync(new CreateApiKeyRequest(ApiKeyScope.Read, Name: $"paged-{i}"));

        var seen = new List<ApiKeyDto>();
        string? cursor = null;
        do
        {
            var page = await client.ListKeysAsync(4, cursor);
            Assert.InRange(page.Keys.Count, 1, 4);
            seen.AddRange(page.Keys);
            cursor = page.NextCursor;
        } while (cursor is not null);

        var all = await client.ListKeysAsync();
        Assert.Null(all.NextCursor);
        Assert.Equal(all.Keys.Select(k => k.Id), seen.Select(k => k.Id));
        Assert.Equal(seen.Count, seen.Select(k => k.Id).Distinct().Count());
        Assert.Equal(seen.OrderBy(k => k.CreatedAt).Select(k => k.Id), seen.Select(k => k.Id));
        Assert.True(seen.Count(k => k.Name?.StartsWith("paged-", StringComparison.Ordinal) == true) >= 9);
    }

    [Theory]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=100000", "limit")]
    [InlineData("cursor=nocolon", "cursor")]
    [InlineData("cursor=x%3Ay", "cursor")]
    public async Task A_bad_limit_or_cursor_is_a_400_naming_it(string query, string field)
    {
        using var http = fixture.Server.CreateHttpClient();
        using var response = await http.GetAsync($"api/v1/keys?{query}");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(field, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}

[Trait("Store", "Postgres")]
public sealed class PostgresPagedKeyTests(PostgresServerFixture f) : PagedKeyTests(f), IClassFixture<PostgresServerFixture>;

[Trait("Store", "Sqlite")]
public sealed class SqlitePagedKeyTests(SqliteServerFixture f) : PagedKeyTests(f), IClassFixture<SqliteServerFixture>;
