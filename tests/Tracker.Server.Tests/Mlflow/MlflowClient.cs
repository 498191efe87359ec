using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Tracker.Server.Tests.Mlflow;

/// <summary>Raw MLflow REST calls: a JSON body in, the status and parsed JSON out (no typed client, so the tests
/// pin the wire format itself).</summary>
public sealed class MlflowClient(HttpClient http, string prefix = "api/2.0/mlflow/")
{
    public HttpClient Http => http;

    public async Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(string path, string json)
    {
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        using var response = await http.PostAsync(prefix + path, content);
        return (response.StatusCode, await ReadAsync(response));
    }

    public async Task<(HttpStatusCode Status, JsonElement Body)> GetAsync(string pathAndQuery)
    {
        using var response = await http.GetAsync(prefix + pathAndQuery);
        return (response.StatusCode, await ReadAsync(response));
    }

    public async Task<JsonElement> OkAsync(string path, string json)
    {
        var (status, body) = await PostAsync(path, json);
        Assert.True(status == HttpStatusCode.OK, $"{path}: {(int)status} {body}");
        return body;
    }

    public async Task<JsonElement> OkGetAsync(string pathAndQuery)
    {
        var (status, body) = await GetAsync(pathAndQuery);
        Assert.True(status == HttpStatusCode.OK, $"{pathAndQuery}: {(int)status} {body}");
        return body;
    }

    public static void AssertError((HttpStatusCode Status, JsonElement Body) answer, HttpStatusCode status, string code)
    {
        Assert.True(answer.Status == status, $"expected {(int)status}, got {(int)answer.Status}: {answer.Body}");
        Assert.Equal(code, answer.Body.GetProperty("error_code").GetString());
        Assert.False(string.IsNullOrEmpty(answer.Body.GetProperty("message").GetString()));
    }

    public async Task<string> CreateExperimentAsync(string name) =>
        (await OkAsync("experiments/create", JsonSerializer.Serialize(new { name }))).GetProperty("experiment_id").GetString()!;

    public async Task<string> CreateRunAsync(string experimentId, string extra = "") =>
        (await OkAsync("runs/create", $$"""{"experiment_id":"{{experimentId}}","start_time":1700000000000{{extra}}}"""))
            .GetProperty("run")
            .GetProperty("info")
            .GetProperty("run_id")
            .GetString()!;

    private static async Task<JsonElement> ReadAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        if (string.IsNullOrEmpty(text))
            return default;
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public static AuthenticationHeaderValue Basic(string user, string password) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
}
