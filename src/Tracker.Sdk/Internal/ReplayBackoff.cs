using Polly;
using Polly.Retry;
using Polly.Timeout;
using Tracker.Sdk.Client;

namespace Tracker.Sdk.Internal;

/// <summary>
/// The replay loop's retry policy: unbounded retries with exponential backoff and jitter, capped at 2 s apart (a cheap
/// probe of a server that is down), or after the server's <c>Retry-After</c> when a 429 or 503 carries one (at most
/// <see cref="TrackerRetry.MaxRetryAfter"/>). Cancelling the run's stop token ends the wait.
/// </summary>
internal static class ReplayBackoff
{
    /// <summary>The pipeline; <paramref name="stop"/> is the run's stop token (a cancellation by it is not retried).</summary>
    public static ResiliencePipeline Create(TimeSpan baseDelay, CancellationToken stop) =>
        new ResiliencePipelineBuilder()
            .AddRetry(
                new RetryStrategyOptions
                {
                    ShouldHandle = new PredicateBuilder()
                        .Handle<HttpRequestException>()
                        .Handle<TimeoutRejectedException>()
                        .Handle<IOException>()
                        .Handle<TrackerApiException>(e => RunServer.Classify(e.StatusCode) == SendStatus.Transient)
                        .Handle<OperationCanceledException>(_ => !stop.IsCancellationRequested),
                    MaxRetryAttempts = int.MaxValue,
                    BackoffType = DelayBackoffType.Exponential,
                    UseJitter = true,
                    Delay = baseDelay,
                    MaxDelay = TimeSpan.FromSeconds(2),
                    DelayGenerator = static args =>
                        ValueTask.FromResult(
                            args.Outcome.Exception is TrackerApiException { RetryAfter: { } wait } && wait > TimeSpan.Zero ? wait : (TimeSpan?)null
                        ),
                }
            )
            .Build();
}
