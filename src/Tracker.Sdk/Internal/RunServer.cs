using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Polly.Timeout;
using Tracker.Sdk.Client;
using Tracker.Sdk.Contracts;

namespace Tracker.Sdk.Internal;

/// <summary>The HTTP side of one run: a retrying client for direct sends and a single-attempt client for replays.</summary>
internal sealed class RunServer : IDisposable
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");
    private readonly HttpMessageHandler _inner;
    private readonly bool _ownsInner;
    private readonly Uri _metricsUri;

    public RunServer(Uri url, string? apiKey, string runId, RunOptions options)
    {
        _ownsInner = options.HttpHandler is null;
        _inner = options.HttpHandler ?? TrackerRetry.CreateSocketsHandler();
        var pipeline = TrackerRetry.Pipeline(options.MaxRetryAttempts, options.RetryBaseDelay, options.AttemptTimeout);
        Retrying = TrackerRetry.CreateHttpClient(url, apiKey, _inner, pipeline);
        Plain = TrackerRetry.CreateHttpClient(url, apiKey, _inner, null);
        Plain.Timeout = options.AttemptTimeout;
        Client = new TrackerClient(Retrying);
        PlainClient = new TrackerClient(Plain);
        _metricsUri = new Uri($"api/v1/runs/{Uri.EscapeDataString(runId)}/metrics", UriKind.Relative);
    }

    /// <summary>Retries transient failures with backoff.</summary>
    public HttpClient Retrying { get; }

    /// <summary>One attempt per call; the replay loop's own pipeline retries around it.</summary>
    public HttpClient Plain { get; }

    /// <summary>Typed client over <see cref="Retrying"/>.</summary>
    public TrackerClient Client { get; }

    /// <summary>Typed client over <see cref="Plain"/>.</summary>
    public TrackerClient PlainClient { get; }

    /// <summary>POSTs one ingest body and classifies the answer; never throws but for cancellation.</summary>
    public async Task<SendResult> PostBatchAsync(ReadOnlyMemory<byte> body, bool retrying, CancellationToken cancellationToken)
    {
        using var content = new ReadOnlyMemoryContent(body);
        content.Headers.ContentType = Json;
        using var request = new HttpRequestMessage(HttpMethod.Post, _metricsUri) { Content = content };
        try
        {
            using var response = await (retrying ? Retrying : Plain).SendAsync(request, cancellationToken).ConfigureAwait(false);
            if (response.IsSuccessStatusCode)
            {
                var ack = await response.Content.ReadFromJsonAsync(TrackerJsonContext.Default.LogMetricsResponse, cancellationToken).ConfigureAwait(false);
                return new SendResult(SendStatus.Stored, ack);
            }
            var status = response.StatusCode;
            TrackerApiException problem;
            try
            {
                await TrackerClient.EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
                return new SendResult(SendStatus.Transient);
            }
            catch (TrackerApiException e)
            {
                problem = e;
            }
            return new SendResult(Classify(status), Problem: problem);
        }
        catch (Exception e) when (IsTransient(e, cancellationToken))
        {
            return new SendResult(SendStatus.Transient, Error: e);
        }
    }

    /// <summary>How an HTTP status is handled.</summary>
    public static SendStatus Classify(HttpStatusCode status) =>
        status switch
        {
            HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests => SendStatus.Transient,
            >= HttpStatusCode.InternalServerError => SendStatus.Transient,
            HttpStatusCode.Conflict => SendStatus.NotRunning,
            HttpStatusCode.BadRequest or HttpStatusCode.RequestEntityTooLarge or HttpStatusCode.UnprocessableEntity => SendStatus.Rejected,
            _ => SendStatus.Parked,
        };

    /// <summary>True for failures worth retrying later: network errors and timeouts (not our own cancellation).</summary>
    public static bool IsTransient(Exception e, CancellationToken cancellationToken) =>
        e switch
        {
            HttpRequestException or TimeoutRejectedException or IOException => true,
            OperationCanceledException => !cancellationToken.IsCancellationRequested,
            TrackerApiException api => Classify(api.StatusCode) == SendStatus.Transient,
            _ => false,
        };

    /// <inheritdoc />
    public void Dispose()
    {
        Retrying.Dispose();
        Plain.Dispose();
        if (_ownsInner)
            _inner.Dispose();
    }
}
