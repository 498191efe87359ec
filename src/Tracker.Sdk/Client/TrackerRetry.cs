using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.Http.Resilience;
using Polly;

namespace Tracker.Sdk.Client;

/// <summary>The SDK's retry policy: exponential backoff with jitter on transient failures (network errors, timeouts, 5xx, 408, 429).</summary>
/// <remarks>
/// Other 4xx answers are not retried. A 429 or 503 carrying <c>Retry-After</c> is retried after at least that long, at most
/// <see cref="MaxRetryAfter"/>; cancelling the call (a run's flush deadline) ends the wait. Built on Microsoft.Extensions.Http.Resilience (Polly).
/// </remarks>
public static class TrackerRetry
{
    /// <summary>Default retries after the first attempt.</summary>
    public const int DefaultMaxRetryAttempts = 5;

    /// <summary>The longest wait a <c>Retry-After</c> header can ask for; a longer one is cut to this.</summary>
    public static TimeSpan MaxRetryAfter { get; } = TimeSpan.FromSeconds(60);

    /// <summary>Retry options: <paramref name="maxRetryAttempts"/> retries, exponential from <paramref name="baseDelay"/> (200 ms by default),
    /// with jitter, at most 10 s apart, unless the server's <c>Retry-After</c> asks for longer (up to <see cref="MaxRetryAfter"/>).</summary>
    public static HttpRetryStrategyOptions Options(int maxRetryAttempts = DefaultMaxRetryAttempts, TimeSpan? baseDelay = null) =>
        new()
        {
            MaxRetryAttempts = Math.Max(1, maxRetryAttempts),
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = baseDelay ?? TimeSpan.FromMilliseconds(200),
            MaxDelay = TimeSpan.FromSeconds(10),
            DelayGenerator = static args =>
                ValueTask.FromResult(args.Outcome.Result is { } response && RetryAfter(response) is { } wait && wait > TimeSpan.Zero ? wait : (TimeSpan?)null),
        };

    /// <summary>The retry strategy around a per-attempt timeout.</summary>
    public static ResiliencePipeline<HttpResponseMessage> Pipeline(int maxRetryAttempts, TimeSpan baseDelay, TimeSpan attemptTimeout) =>
        new ResiliencePipelineBuilder<HttpResponseMessage>().AddRetry(Options(maxRetryAttempts, baseDelay)).AddTimeout(attemptTimeout).Build();

    /// <summary>An HTTP client for <paramref name="baseUrl"/> with <paramref name="apiKey"/>, retrying when <paramref name="pipeline"/> is given; the caller owns <paramref name="inner"/>.</summary>
    public static HttpClient CreateHttpClient(Uri baseUrl, string? apiKey, HttpMessageHandler inner, ResiliencePipeline<HttpResponseMessage>? pipeline)
    {
        var handler = pipeline is null ? inner : new ResilienceHandler(pipeline) { InnerHandler = inner };
        var client = new HttpClient(handler, disposeHandler: false) { BaseAddress = EnsureTrailingSlash(baseUrl), Timeout = Timeout.InfiniteTimeSpan };
        if (!string.IsNullOrEmpty(apiKey))
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        return client;
    }

    /// <summary>A handler that pools connections for a long-lived client.</summary>
    public static SocketsHttpHandler CreateSocketsHandler() =>
        new() { PooledConnectionLifetime = TimeSpan.FromMinutes(5), ConnectTimeout = TimeSpan.FromSeconds(10) };

    /// <summary>The wait a 429 or 503 asks for with <c>Retry-After</c> (seconds or an HTTP date), between zero and
    /// <see cref="MaxRetryAfter"/>; null for other answers and when the header is absent.</summary>
    public static TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        ArgumentNullException.ThrowIfNull(response);
        if (response.StatusCode is not (HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable))
            return null;
        var header = response.Headers.RetryAfter;
        var wait = header?.Delta ?? (header?.Date is { } date ? date - DateTimeOffset.UtcNow : null);
        return wait is { } w ? Bound(w) : null;
    }

    internal static TimeSpan Bound(TimeSpan wait) =>
        wait < TimeSpan.Zero ? TimeSpan.Zero
        : wait > MaxRetryAfter ? MaxRetryAfter
        : wait;

    internal static Uri EnsureTrailingSlash(Uri url) => url.AbsoluteUri.EndsWith('/') ? url : new Uri(url.AbsoluteUri + "/");
}
