using System.Net.Http.Headers;
using Microsoft.Extensions.Http.Resilience;
using Polly;

namespace Tracker.Sdk.Client;

/// <summary>The SDK's retry policy: exponential backoff with jitter on transient failures (network errors, timeouts, 5xx, 408, 429).</summary>
/// <remarks>Other 4xx answers are not retried. Built on Microsoft.Extensions.Http.Resilience (Polly).</remarks>
public static class TrackerRetry
{
    /// <summary>Default retries after the first attempt.</summary>
    public const int DefaultMaxRetryAttempts = 5;

    /// <summary>Retry options: <paramref name="maxRetryAttempts"/> retries, exponential from <paramref name="baseDelay"/> (200 ms by default), with jitter, at most 10 s apart.</summary>
    public static HttpRetryStrategyOptions Options(int maxRetryAttempts = DefaultMaxRetryAttempts, TimeSpan? baseDelay = null) => new()
    {
        MaxRetryAttempts = Math.Max(1, maxRetryAttempts),
        BackoffType = DelayBackoffType.Exponential,
        UseJitter = true,
        Delay = baseDelay ?? TimeSpan.FromMilliseconds(200),
        MaxDelay = TimeSpan.FromSeconds(10),
    };

    /// <summary>The retry strategy around a per-attempt timeout.</summary>
    public static ResiliencePipeline<HttpResponseMessage> Pipeline(int maxRetryAttempts, TimeSpan baseDelay, TimeSpan attemptTimeout) =>
        new ResiliencePipelineBuilder<HttpResponseMessage>()
            .AddRetry(Options(maxRetryAttempts, baseDelay))
            .AddTimeout(attemptTimeout)
            .Build();

    /// <summary>An HTTP client for <paramref name="baseUrl"/> with <paramref name="apiKey"/>, retrying when <paramref name="pipeline"/> is given; the caller owns <paramref name="inner"/>.</summary>
    public static HttpClient CreateHttpClient(Uri baseUrl, string? apiKey, HttpMessageHandler inner, ResiliencePipeline<HttpResponseMessage>? pipeline)
    {
        HttpMessageHandler handler = pipeline is null ? inner : new ResilienceHandler(pipeline) { InnerHandler = inner };
        var client = new HttpClient(handler, disposeHandler: false)
        {
            BaseAddress = EnsureTrailingSlash(baseUrl),
            Timeout = Timeout.InfiniteTimeSpan,
        };
        if (!string.IsNullOrEmpty(apiKey)) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        return client;
    }

    /// <summary>A handler that pools connections for a long-lived client.</summary>
    public static SocketsHttpHandler CreateSocketsHandler() => new()
    {
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        ConnectTimeout = TimeSpan.FromSeconds(10),
    };

    internal static Uri EnsureTrailingSlash(Uri url) =>
        url.AbsoluteUri.EndsWith('/') ? url : new Uri(url.AbsoluteUri + "/");
}
