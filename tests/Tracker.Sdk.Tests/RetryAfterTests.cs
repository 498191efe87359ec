using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.Http;
using Tracker.Sdk.Client;
using Tracker.TestSupport;

namespace Tracker.Sdk.Tests;

/// <summary>A 429 or 503 with <c>Retry-After</c> is waited out, within bounds, by the client and by a run's transport, without losing a point.</summary>
[Collection(SdkServerCollection.Name)]
public sealed class RetryAfterTests(SdkServerFixture fixture)
{
    private static readonly TimeSpan OneSecondLessSlack = TimeSpan.FromMilliseconds(900);

    [Fact]
    public async Task Client_waits_out_Retry_After_on_429_before_each_retry()
    {
        await using var proxy = await ThrottlingProxy.StartAsync(
            fixture.Server.BaseAddress,
            r => r.Method == "GET" && r.Path == "/api/v1/projects",
            refusals: 2,
            HttpStatusCode.TooManyRequests,
            "1"
        );
        using var handler = new SocketsHttpHandler();
        using var http = TrackerRetry.CreateHttpClient(
            proxy.BaseAddress,
            TrackerServer.AdminKey,
            handler,
            TrackerRetry.Pipeline(maxRetryAttempts: 5, baseDelay: TimeSpan.FromMilliseconds(10), attemptTimeout: TimeSpan.FromSeconds(5))
        );

        var projects = await new TrackerClient(http).ListProjectsAsync();

        Assert.NotNull(projects);
        Assert.Equal([HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests, HttpStatusCode.OK], proxy.Matched.Select(m => m.Status));
        Assert.All(proxy.Gaps(), gap => Assert.True(gap >= OneSecondLessSlack, $"retried after {gap.TotalMilliseconds:0} ms"));
    }

    [Fact]
    public async Task Run_waits_out_Retry_After_on_503_in_direct_sends_and_replays_and_loses_no_point()
    {
        string? runId = null;
        await using var proxy = await ThrottlingProxy.StartAsync(
            fixture.Server.BaseAddress,
            r => r.Method == "POST" && runId is not null && r.Path == $"/api/v1/runs/{runId}/metrics",
            refusals: 4,
            HttpStatusCode.ServiceUnavailable,
            "1"
        );
        var warnings = new ConcurrentQueue<string>();
        runId = "retry-after-" + Guid.NewGuid().ToString("N")[..8];
        var run = await TrackerRun.StartAsync(TestRuns.Options(proxy.BaseAddress, TestRuns.TempDir(), warnings, id: runId, retries: 2, inFlight: 1));

        for (var step = 0; step < 200; step++)
            run.Log(step, ("loss", step));
        await run.FinishAsync();

        // Three direct attempts (two retries), then the spool's replay: the fourth refusal is waited out by the replay's policy.
        var statuses = proxy.Matched.Select(m => m.Status).ToList();
        Assert.Equal(Enumerable.Repeat(HttpStatusCode.ServiceUnavailable, 4), statuses.Take(4));
        var gaps = proxy.Gaps();
        Assert.All(gaps.Take(4), gap => Assert.True(gap >= OneSecondLessSlack, $"tried again after {gap.TotalMilliseconds:0} ms"));
        Assert.Equal(200, run.SentPoints);
        await TestRuns.AssertSeriesAsync(fixture.Server.CreateClient(), runId, "loss", 200);
        Assert.Equal(Contracts.RunState.Finished, (await fixture.Server.CreateClient().GetRunAsync(runId)).State);
    }

    [Fact]
    public async Task A_long_Retry_After_never_holds_a_run_past_its_flush_deadline_and_its_points_stay_in_the_spool()
    {
        string? runId = null;
        await using var proxy = await ThrottlingProxy.StartAsync(
            fixture.Server.BaseAddress,
            r => r.Method == "POST" && runId is not null && r.Path == $"/api/v1/runs/{runId}/metrics",
            refusals: int.MaxValue,
            HttpStatusCode.TooManyRequests,
            "30"
        );
        var warnings = new ConcurrentQueue<string>();
        var spoolDir = TestRuns.TempDir();
        runId = "retry-after-" + Guid.NewGuid().ToString("N")[..8];
        var run = await TrackerRun.StartAsync(TestRuns.Options(proxy.BaseAddress, spoolDir, warnings, id: runId, flushTimeout: TimeSpan.FromSeconds(2)));
        for (var step = 0; step < 50; step++)
            run.Log(step, ("loss", step));

        var watch = Stopwatch.StartNew();
        await run.FinishAsync();

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"finishing took {watch.Elapsed.TotalSeconds:0.0} s");
        Assert.Equal(0, run.SentPoints);
        Assert.Contains(warnings, w => w.Contains("50 points", StringComparison.Ordinal) && w.Contains("not sent within", StringComparison.Ordinal));
        Assert.True(File.Exists(run.SpoolPath));
    }

    [Theory]
    [InlineData(HttpStatusCode.TooManyRequests, "3600", 60)]
    [InlineData(HttpStatusCode.ServiceUnavailable, "7", 7)]
    [InlineData(HttpStatusCode.ServiceUnavailable, "0", 0)]
    public void Retry_After_is_read_in_seconds_and_bounded(HttpStatusCode status, string header, int expectedSeconds)
    {
        using var response = new HttpResponseMessage(status);
        response.Headers.TryAddWithoutValidation("Retry-After", header);
        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), TrackerRetry.RetryAfter(response));
    }

    [Fact]
    public void Retry_After_as_a_date_is_read_and_ignored_on_other_statuses()
    {
        using var soon = new HttpResponseMessage(HttpStatusCode.ServiceUnavailable);
        soon.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(DateTimeOffset.UtcNow.AddSeconds(20));
        Assert.InRange(TrackerRetry.RetryAfter(soon)!.Value.TotalSeconds, 15, 20);

        using var other = new HttpResponseMessage(HttpStatusCode.InternalServerError);
        other.Headers.TryAddWithoutValidation("Retry-After", "5");
        Assert.Null(TrackerRetry.RetryAfter(other));
    }
}
