using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Tracker.Sdk.Contracts;

namespace Tracker.Sdk.Client;

/// <summary>Typed client of the Tracker REST API v1; every call throws <see cref="TrackerApiException"/> on a non-success answer.</summary>
/// <remarks>The <see cref="HttpClient"/> carries the base address and the <c>Authorization: Bearer</c> header.</remarks>
public sealed partial class TrackerClient(HttpClient http)
{
    private static readonly TrackerJsonContext Json = TrackerJsonContext.Default;

    /// <summary>The underlying HTTP client.</summary>
    public HttpClient Http => http;

    /// <summary>Creates a client for <paramref name="baseUrl"/> with <paramref name="apiKey"/>.</summary>
    public static TrackerClient Create(Uri baseUrl, string apiKey)
    {
        var client = new HttpClient { BaseAddress = baseUrl };
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", apiKey);
        return new TrackerClient(client);
    }

    /// <summary>POST /api/v1/projects.</summary>
    public Task<ProjectDto> CreateProjectAsync(CreateProjectRequest request, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, "api/v1/projects", request, Json.CreateProjectRequest, Json.ProjectDto, cancellationToken);

    /// <summary>GET /api/v1/projects: every project by name (follows the pages).</summary>
    public async Task<ProjectList> ListProjectsAsync(CancellationToken cancellationToken = default) =>
        new(await AllPagesAsync((c, ct) => ListProjectsAsync(AllPageSize, c, ct), l => (l.Projects, l.NextCursor), cancellationToken).ConfigureAwait(false));

    /// <summary>GET /api/v1/projects?limit=&amp;cursor=: one page of projects by name; pass the answer's
    /// <see cref="ProjectList.NextCursor"/> for the next one.</summary>
    public Task<ProjectList> ListProjectsAsync(int limit, string? cursor, CancellationToken cancellationToken = default) =>
        GetAsync(
            $"api/v1/projects?limit={limit.ToString(CultureInfo.InvariantCulture)}" + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor)),
            Json.ProjectList,
            cancellationToken
        );

    /// <summary>GET /api/v1/projects/{project}.</summary>
    public Task<ProjectDto> GetProjectAsync(string project, CancellationToken cancellationToken = default) =>
        GetAsync($"api/v1/projects/{Uri.EscapeDataString(project)}", Json.ProjectDto, cancellationToken);

    /// <summary>PATCH /api/v1/projects/{project}: description and analysis defaults.</summary>
    public Task<ProjectDto> UpdateProjectAsync(string project, UpdateProjectRequest request, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Patch, $"api/v1/projects/{Uri.EscapeDataString(project)}", request, Json.UpdateProjectRequest, Json.ProjectDto, cancellationToken);

    /// <summary>POST /api/v1/projects/{project}/runs.</summary>
    public Task<RunDto> CreateRunAsync(string project, CreateRunRequest request, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, $"api/v1/projects/{Uri.EscapeDataString(project)}/runs", request, Json.CreateRunRequest, Json.RunDto, cancellationToken);

    /// <summary>GET /api/v1/projects/{project}/runs.</summary>
    public Task<RunPage> ListRunsAsync(string project, RunQuery? query = null, CancellationToken cancellationToken = default)
    {
        var q = query ?? new RunQuery();
        var url = new StringBuilder($"api/v1/projects/{Uri.EscapeDataString(project)}/runs?");
        Append(url, "state", q.State is { } s ? JsonSerializer.Serialize(s, Json.RunState).Trim('"') : null);
        Append(url, "tag", q.Tag);
        Append(url, "group", q.Group);
        Append(url, "search", q.Search);
        Append(url, "sort", q.Sort);
        Append(url, "order", q.Descending is { } d ? (d ? "desc" : "asc") : null);
        Append(url, "limit", q.Limit?.ToString(CultureInfo.InvariantCulture));
        Append(url, "cursor", q.Cursor);
        Append(url, "updatedSince", q.UpdatedSince?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
        return GetAsync(url.ToString().TrimEnd('?', '&'), Json.RunPage, cancellationToken);
    }

    /// <summary>GET /api/v1/runs/{id}.</summary>
    public Task<RunDto> GetRunAsync(string runId, CancellationToken cancellationToken = default) =>
        GetAsync($"api/v1/runs/{Uri.EscapeDataString(runId)}", Json.RunDto, cancellationToken);

    /// <summary>PATCH /api/v1/runs/{id}.</summary>
    public Task<RunDto> UpdateRunAsync(string runId, UpdateRunRequest request, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Patch, $"api/v1/runs/{Uri.EscapeDataString(runId)}", request, Json.UpdateRunRequest, Json.RunDto, cancellationToken);

    /// <summary>DELETE /api/v1/runs/{id}.</summary>
    public async Task DeleteRunAsync(string runId, CancellationToken cancellationToken = default)
    {
        using var response = await http.DeleteAsync(new Uri($"api/v1/runs/{Uri.EscapeDataString(runId)}", UriKind.Relative), cancellationToken)
            .ConfigureAwait(false);
        await EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>GET /api/v1/runs/{id}/events: every event of the run, oldest first (follows the pages).</summary>
    public async Task<RunEventList> ListEventsAsync(string runId, CancellationToken cancellationToken = default) =>
        new(await AllPagesAsync((c, ct) => ListEventsAsync(runId, AllPageSize, c, ct), l => (l.Events, l.NextCursor), cancellationToken).ConfigureAwait(false));

    /// <summary>GET /api/v1/runs/{id}/events?limit=&amp;cursor=: one page of the run's events, oldest first; pass the
    /// answer's <see cref="RunEventList.NextCursor"/> for the next one.</summary>
    public Task<RunEventList> ListEventsAsync(string runId, int limit, string? cursor, CancellationToken cancellationToken = default) =>
        GetAsync(
            $"api/v1/runs/{Uri.EscapeDataString(runId)}/events?limit={limit.ToString(CultureInfo.InvariantCulture)}"
                + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor)),
            Json.RunEventList,
            cancellationToken
        );

    /// <summary>GET /api/v1/runs/{id}/analysis: what the server's analyzers say about the run now.</summary>
    public Task<RunAnalysisDto> GetRunAnalysisAsync(string runId, CancellationToken cancellationToken = default) =>
        GetAsync($"api/v1/runs/{Uri.EscapeDataString(runId)}/analysis", Json.RunAnalysisDto, cancellationToken);

    /// <summary>POST /api/v1/runs/{id}/metrics.</summary>
    public Task<LogMetricsResponse> LogMetricsAsync(string runId, LogMetricsRequest request, CancellationToken cancellationToken = default) =>
        SendAsync(
            HttpMethod.Post,
            $"api/v1/runs/{Uri.EscapeDataString(runId)}/metrics",
            request,
            Json.LogMetricsRequest,
            Json.LogMetricsResponse,
            cancellationToken
        );

    /// <summary>POST /api/v1/runs/{id}/metrics with a body already serialized (a spooled batch).</summary>
    public async Task<LogMetricsResponse> LogMetricsAsync(string runId, ReadOnlyMemory<byte> body, CancellationToken cancellationToken = default)
    {
        using var content = new ReadOnlyMemoryContent(body);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        using var response = await http.PostAsync(new Uri($"api/v1/runs/{Uri.EscapeDataString(runId)}/metrics", UriKind.Relative), content, cancellationToken)
            .ConfigureAwait(false);
        await EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
        return (await response.Content.ReadFromJsonAsync(Json.LogMetricsResponse, cancellationToken).ConfigureAwait(false))!;
    }

    /// <summary>GET /api/v1/runs/{id}/metrics.</summary>
    public Task<MetricSeriesList> ListSeriesAsync(string runId, CancellationToken cancellationToken = default) =>
        GetAsync($"api/v1/runs/{Uri.EscapeDataString(runId)}/metrics", Json.MetricSeriesList, cancellationToken);

    /// <summary>GET /api/v1/runs/{id}/metrics/{key}: sampled to <paramref name="maxPoints"/> when given, else one page.</summary>
    public Task<MetricHistory> GetHistoryAsync(
        string runId,
        string key,
        int? maxPoints = null,
        long? fromStep = null,
        long? toStep = null,
        int? limit = null,
        string? cursor = null,
        CancellationToken cancellationToken = default
    )
    {
        var url = new StringBuilder($"api/v1/runs/{Uri.EscapeDataString(runId)}/metrics/{EscapeKey(key)}?");
        Append(url, "maxPoints", maxPoints?.ToString(CultureInfo.InvariantCulture));
        Append(url, "fromStep", fromStep?.ToString(CultureInfo.InvariantCulture));
        Append(url, "toStep", toStep?.ToString(CultureInfo.InvariantCulture));
        Append(url, "limit", limit?.ToString(CultureInfo.InvariantCulture));
        Append(url, "cursor", cursor);
        return GetAsync(url.ToString().TrimEnd('?', '&'), Json.MetricHistory, cancellationToken);
    }

    /// <summary>GET /api/v1/runs/{id}/metrics/{key}?maxPoints=N&amp;format=packed: at most <paramref name="maxPoints"/> points
    /// of the step range as columns, read without a JSON value per point (what the dashboard's charts load).</summary>
    public async Task<MetricColumns> GetPackedHistoryAsync(
        string runId,
        string key,
        int maxPoints,
        long? fromStep = null,
        long? toStep = null,
        CancellationToken cancellationToken = default
    )
    {
        var url = new StringBuilder($"api/v1/runs/{Uri.EscapeDataString(runId)}/metrics/{EscapeKey(key)}?format=packed&");
        Append(url, "maxPoints", maxPoints.ToString(CultureInfo.InvariantCulture));
        Append(url, "fromStep", fromStep?.ToString(CultureInfo.InvariantCulture));
        Append(url, "toStep", toStep?.ToString(CultureInfo.InvariantCulture));
        using var response = await http.GetAsync(new Uri(url.ToString().TrimEnd('&'), UriKind.Relative), cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
        var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        return MetricColumns.Unpack(bytes);
    }

    /// <summary>Every point of a series, following cursors.</summary>
    public async IAsyncEnumerable<MetricPointDto> ReadAllAsync(
        string runId,
        string key,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default
    )
    {
        string? cursor = null;
        do
        {
            var page = await GetHistoryAsync(runId, key, cursor: cursor, cancellationToken: cancellationToken).ConfigureAwait(false);
            foreach (var p in page.Points)
                yield return p;
            cursor = page.NextCursor;
        } while (cursor is not null);
    }

    /// <summary>GET /api/v1/runs/{id}/export.csv as a stream.</summary>
    public async Task<Stream> ExportCsvAsync(string runId, CancellationToken cancellationToken = default)
    {
        var response = await http.GetAsync(
                new Uri($"api/v1/runs/{Uri.EscapeDataString(runId)}/export.csv", UriKind.Relative),
                HttpCompletionOption.ResponseHeadersRead,
                cancellationToken
            )
            .ConfigureAwait(false);
        await EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
        return await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>POST /api/v1/keys.</summary>
    public Task<ApiKeyCreatedDto> CreateKeyAsync(CreateApiKeyRequest request, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, "api/v1/keys", request, Json.CreateApiKeyRequest, Json.ApiKeyCreatedDto, cancellationToken);

    /// <summary>GET /api/v1/me: the calling key's scope and project binding.</summary>
    public Task<KeyIdentityDto> WhoAmIAsync(CancellationToken cancellationToken = default) => GetAsync("api/v1/me", Json.KeyIdentityDto, cancellationToken);

    /// <summary>GET /api/v1/keys: every key, oldest first (follows the pages).</summary>
    public async Task<ApiKeyList> ListKeysAsync(CancellationToken cancellationToken = default) =>
        new(await AllPagesAsync((c, ct) => ListKeysAsync(AllPageSize, c, ct), l => (l.Keys, l.NextCursor), cancellationToken).ConfigureAwait(false));

    /// <summary>The page size the unpaged list calls ask for (the server's default most).</summary>
    private const int AllPageSize = 1000;

    /// <summary>Follows a paged list's cursors to the end and returns every item in order.</summary>
    private static async Task<List<T>> AllPagesAsync<TPage, T>(
        Func<string?, CancellationToken, Task<TPage>> page,
        Func<TPage, (IReadOnlyList<T> Items, string? Next)> split,
        CancellationToken cancellationToken
    )
    {
        var all = new List<T>();
        string? cursor = null;
        do
        {
            var (items, next) = split(await page(cursor, cancellationToken).ConfigureAwait(false));
            all.AddRange(items);
            cursor = next;
        } while (cursor is not null);
        return all;
    }

    /// <summary>GET /api/v1/keys?limit=&amp;cursor=: one page of keys, oldest first; pass the answer's
    /// <see cref="ApiKeyList.NextCursor"/> for the next one.</summary>
    public Task<ApiKeyList> ListKeysAsync(int limit, string? cursor, CancellationToken cancellationToken = default) =>
        GetAsync(
            $"api/v1/keys?limit={limit.ToString(CultureInfo.InvariantCulture)}" + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor)),
            Json.ApiKeyList,
            cancellationToken
        );

    /// <summary>DELETE /api/v1/keys/{id}.</summary>
    public async Task DeleteKeyAsync(string keyId, CancellationToken cancellationToken = default)
    {
        using var response = await http.DeleteAsync(new Uri($"api/v1/keys/{Uri.EscapeDataString(keyId)}", UriKind.Relative), cancellationToken)
            .ConfigureAwait(false);
        await EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>GET /api/v1/experiments/catalog.</summary>
    public Task<Tracker.Sdk.Contracts.ExperimentCatalogDocument> GetExperimentCatalogAsync(CancellationToken cancellationToken = default) =>
        GetAsync("api/v1/experiments/catalog", Tracker.Sdk.Contracts.ExperimentJsonContext.Default.ExperimentCatalogDocument, cancellationToken);

    /// <summary>POST /api/v1/projects/{project}/experiments with a spec such as
    /// <c>{"solver":"adam","problem":"rosenbrock","hyperparameters":{"lr":[0.01,0.1]},"steps":200}</c> (lists sweep).</summary>
    public async Task<ExperimentLaunchResponse> LaunchExperimentAsync(
        string project,
        System.Text.Json.Nodes.JsonObject spec,
        CancellationToken cancellationToken = default
    )
    {
        using var content = new StringContent(spec.ToJsonString(), Encoding.UTF8, "application/json");
        using var response = await http.PostAsync(
                new Uri($"api/v1/projects/{Uri.EscapeDataString(project)}/experiments", UriKind.Relative),
                content,
                cancellationToken
            )
            .ConfigureAwait(false);
        await EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
        return (await response.Content.ReadFromJsonAsync(Json.ExperimentLaunchResponse, cancellationToken).ConfigureAwait(false))!;
    }

    /// <summary>GET /api/v1/experiments/{runId}.</summary>
    public Task<ExperimentJobDto> GetExperimentAsync(string runId, CancellationToken cancellationToken = default) =>
        GetAsync($"api/v1/experiments/{Uri.EscapeDataString(runId)}", Json.ExperimentJobDto, cancellationToken);

    /// <summary>POST /api/v1/experiments/{runId}/cancel.</summary>
    public async Task<ExperimentJobDto> CancelExperimentAsync(string runId, CancellationToken cancellationToken = default)
    {
        using var response = await http.PostAsync(
                new Uri($"api/v1/experiments/{Uri.EscapeDataString(runId)}/cancel", UriKind.Relative),
                null,
                cancellationToken
            )
            .ConfigureAwait(false);
        await EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
        return (await response.Content.ReadFromJsonAsync(Json.ExperimentJobDto, cancellationToken).ConfigureAwait(false))!;
    }

    private static string EscapeKey(string key) => string.Join('/', key.Split('/').Select(Uri.EscapeDataString));

    private static void Append(StringBuilder url, string name, string? value)
    {
        if (value is null)
            return;
        url.Append(name).Append('=').Append(Uri.EscapeDataString(value)).Append('&');
    }

    private async Task<T> GetAsync<T>(string url, JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(new Uri(url, UriKind.Relative), cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
        return (await response.Content.ReadFromJsonAsync(type, cancellationToken).ConfigureAwait(false))!;
    }

    private async Task<TResponse> SendAsync<TRequest, TResponse>(
        HttpMethod method,
        string url,
        TRequest body,
        JsonTypeInfo<TRequest> requestType,
        JsonTypeInfo<TResponse> responseType,
        CancellationToken cancellationToken
    )
    {
        using var request = new HttpRequestMessage(method, new Uri(url, UriKind.Relative)) { Content = JsonContent.Create(body, requestType) };
        using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
        return (await response.Content.ReadFromJsonAsync(responseType, cancellationToken).ConfigureAwait(false))!;
    }

    internal static async Task EnsureSuccessAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
            return;
        string? title = response.ReasonPhrase,
            detail = null;
        Dictionary<string, string[]>? errors = null;
        try
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            using var doc = JsonDocument.Parse(text);
            if (doc.RootElement.TryGetProperty("title", out var t))
                title = t.GetString();
            if (doc.RootElement.TryGetProperty("detail", out var d))
                detail = d.GetString();
            if (doc.RootElement.TryGetProperty("errors", out var e) && e.ValueKind == JsonValueKind.Object)
                errors = FieldErrors(e);
        }
        catch (JsonException) { }
        throw new TrackerApiException(response.StatusCode, title, detail ?? response.StatusCode.ToString())
        {
            RetryAfter = TrackerRetry.RetryAfter(response),
            Errors = errors,
        };
    }

    /// <summary>A validation problem's <c>errors</c> object (field → messages); a field with a single string is one message.</summary>
    private static Dictionary<string, string[]> FieldErrors(JsonElement errors)
    {
        var fields = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var field in errors.EnumerateObject())
        {
            fields[field.Name] = field.Value.ValueKind switch
            {
                JsonValueKind.Array => field
                    .Value.EnumerateArray()
                    .Select(m => m.ValueKind == JsonValueKind.String ? m.GetString()! : m.GetRawText())
                    .ToArray(),
                JsonValueKind.String => [field.Value.GetString()!],
                _ => [field.Value.GetRawText()],
            };
        }
        return fields;
    }
}
