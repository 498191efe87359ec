using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Tracker.Sdk.Contracts;
using Tracker.Server.Tests.Api;

namespace Tracker.Server.Tests.Artifacts;

/// <summary>MLflow's artifact proxy routes (what <c>mlflow.log_artifact</c> calls against <c>mlflow-artifacts:/</c>).</summary>
public sealed class MlflowArtifactTests(SqliteServerFixture fixture) : IClassFixture<SqliteServerFixture>
{
    [Fact]
    public async Task Upload_list_download_and_delete_through_the_mlflow_artifact_routes()
    {
        var http = fixture.Server.CreateHttpClient();
        var run = await fixture.Server.CreateClient().CreateRunAsync("mlflow-artifacts", new CreateRunRequest());
        var root = $"api/2.0/mlflow-artifacts/artifacts/1/{run.Id}/artifacts";
        using (var content = new ByteArrayContent(Encoding.UTF8.GetBytes("weights")))
        {
            content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            using var put = await http.PutAsync($"{root}/model/weights.bin", content);
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
            Assert.Equal("{}", await put.Content.ReadAsStringAsync());
        }
        using (var content = new StringContent("a,b\n1,2\n"))
        {
            using var put = await http.PutAsync($"{root}/table.csv", content);
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        }

        using var top = JsonDocument.Parse(await http.GetStringAsync($"api/2.0/mlflow-artifacts/artifacts?path=1/{run.Id}/artifacts"));
        var files = top.RootElement.GetProperty("files").EnumerateArray().ToList();
        Assert.Equal(["model", "table.csv"], files.Select(f => f.GetProperty("path").GetString()));
        Assert.True(files[0].GetProperty("is_dir").GetBoolean());
        Assert.Equal(8, files[1].GetProperty("file_size").GetInt64());
        using var inner = JsonDocument.Parse(await http.GetStringAsync($"api/2.0/mlflow-artifacts/artifacts?path=1/{run.Id}/artifacts/model"));
        Assert.Equal("weights.bin", inner.RootElement.GetProperty("files")[0].GetProperty("path").GetString());

        Assert.Equal("weights", await http.GetStringAsync($"{root}/model/weights.bin"));
        using (var delete = await http.DeleteAsync($"{root}/model/weights.bin"))
            Assert.Equal(HttpStatusCode.OK, delete.StatusCode);
        Assert.Single((await ArtifactHttp.ListAsync(http, run.Id)).Artifacts);
    }
}
