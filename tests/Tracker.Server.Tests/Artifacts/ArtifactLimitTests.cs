using System.Net;
using Tracker.Sdk.Contracts;
using Tracker.TestSupport;
using static Tracker.Server.Tests.Artifacts.ArtifactHttp;

namespace Tracker.Server.Tests.Artifacts;

/// <summary><c>Tracker:Artifacts:MaxFileBytes</c> and <c>MaxProjectBytes</c>.</summary>
public sealed class ArtifactLimitTests
{
    [Fact]
    public async Task Files_and_projects_past_their_limits_answer_413()
    {
        await using var server = TrackerServer.Start(
            StoreKind.Sqlite,
            new Dictionary<string, string?> { ["Tracker:Artifacts:MaxFileBytes"] = "1000", ["Tracker:Artifacts:MaxProjectBytes"] = "2500" }
        );
        var http = server.CreateHttpClient();
        var client = server.CreateClient();
        var run = await client.CreateRunAsync("limits", new CreateRunRequest());
        using (var big = await PutAsync(http, run.Id, "big.bin", new byte[1001]))
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, big.StatusCode);

        await PutOkAsync(http, run.Id, "a.bin", new byte[1000]);
        var other = await client.CreateRunAsync("limits", new CreateRunRequest());
        await PutOkAsync(http, other.Id, "b.bin", new byte[1000]);
        using (var full = await PutAsync(http, other.Id, "c.bin", new byte[600]))
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, full.StatusCode);
        await PutOkAsync(http, other.Id, "c.bin", new byte[500]);
        // Another project has its own quota.
        var elsewhere = await client.CreateRunAsync("limits-other", new CreateRunRequest());
        await PutOkAsync(http, elsewhere.Id, "d.bin", new byte[1000]);
        Assert.Empty(Directory.GetFiles(Path.Combine(server.DataDir, "artifacts", ".staging")));
    }
}
