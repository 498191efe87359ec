using System.Collections.Concurrent;
using System.Text;
using Tracker.Sdk.Contracts;

namespace Tracker.Sdk.Tests;

/// <summary>Resume semantics (W&amp;B's never / allow / must) and 4xx answers during a run.</summary>
[Collection(SdkServerCollection.Name)]
public sealed class ResumeAndRejectionTests(SdkServerFixture fixture)
{
    private Uri Url => fixture.Server.BaseAddress;

    [Fact]
    public async Task Resume_never_refuses_an_existing_id()
    {
        var id = "never-" + Guid.NewGuid().ToString("N")[..8];
        await (await TrackerRun.StartAsync(TestRuns.Options(Url, TestRuns.TempDir(), id: id))).FinishAsync();
        await Assert.ThrowsAsync<InvalidOperationException>(() => TrackerRun.StartAsync(TestRuns.Options(Url, TestRuns.TempDir(), id: id)));
    }

    [Fact]
    public async Task Resume_must_refuses_a_missing_id()
    {
        var id = "must-" + Guid.NewGuid().ToString("N")[..8];
        await Assert.ThrowsAsync<InvalidOperationException>(() =>
            TrackerRun.StartAsync(TestRuns.Options(Url, TestRuns.TempDir(), id: id, resume: ResumeMode.Must))
        );
    }

    [Fact]
    public async Task Resume_allow_creates_then_continues_the_same_run()
    {
        var id = "allow-" + Guid.NewGuid().ToString("N")[..8];
        var first = await TrackerRun.StartAsync(TestRuns.Options(Url, TestRuns.TempDir(), id: id, resume: ResumeMode.Allow));
        for (var step = 0; step < 100; step++)
            first.Log(step, ("loss", step));
        await first.FinishAsync();

        var second = await TrackerRun.StartAsync(TestRuns.Options(Url, TestRuns.TempDir(), id: id, resume: ResumeMode.Must));
        Assert.Equal(RunState.Running, (await fixture.Server.CreateClient().GetRunAsync(id)).State);
        for (var step = 100; step < 200; step++)
            second.Log(step, ("loss", step));
        await second.FinishAsync();

        await TestRuns.AssertSeriesAsync(fixture.Server.CreateClient(), id, "loss", 200);
        Assert.Equal(RunState.Finished, (await fixture.Server.CreateClient().GetRunAsync(id)).State);
    }

    [Fact]
    public async Task A_4xx_is_reported_once_with_the_problem_detail_and_the_run_continues()
    {
        var warnings = new ConcurrentQueue<string>();
        var options = TestRuns.Options(Url, TestRuns.TempDir(), warnings);
        var run = await TrackerRun.StartAsync(
            new RunOptions
            {
                Project = options.Project,
                Url = options.Url,
                ApiKey = options.ApiKey,
                SpoolDir = options.SpoolDir,
                TrackerHome = options.TrackerHome,
                OnWarning = options.OnWarning,
                HttpHandler = new CorruptFirstBatch { InnerHandler = new SocketsHttpHandler() },
            }
        );
        run.Log(0, ("loss", 0));
        await Task.Delay(300);
        for (var step = 1; step < 500; step++)
            run.Log(step, ("loss", step));
        await run.FinishAsync();

        var rejected = Assert.Single(warnings, w => w.Contains("rejected", StringComparison.Ordinal));
        Assert.Contains("points[0].key", rejected, StringComparison.Ordinal);
        var points = await TestRuns.ReadAllAsync(fixture.Server.CreateClient(), run.Id, "loss");
        Assert.Equal(Enumerable.Range(1, 499).Select(i => (long)i), points.Select(p => p.Step));
        Assert.Equal(RunState.Finished, (await fixture.Server.CreateClient().GetRunAsync(run.Id)).State);
    }

    [Fact]
    public async Task A_run_deleted_on_the_server_keeps_its_points_in_the_spool_and_the_run_continues()
    {
        var warnings = new ConcurrentQueue<string>();
        var run = await TrackerRun.StartAsync(TestRuns.Options(Url, TestRuns.TempDir(), warnings));
        run.Log(0, ("loss", 0));
        await Task.Delay(300);
        await fixture.Server.CreateClient().DeleteRunAsync(run.Id);
        for (var step = 1; step < 100; step++)
            run.Log(step, ("loss", step));
        await run.FinishAsync();

        Assert.Single(warnings, w => w.Contains("refused", StringComparison.Ordinal));
        var spool = Internal.SpoolContent.Read(run.SpoolPath!);
        Assert.Equal(99, spool.PointCount);
    }

    [Fact]
    public async Task A_create_whose_answer_was_lost_is_retried_into_the_runs_own_id_and_the_run_starts()
    {
        using var handler = new SlowFirstCreate(TimeSpan.FromSeconds(6)) { InnerHandler = new SocketsHttpHandler() };
        var run = await TrackerRun.StartAsync(SlowCreateOptions(handler, id: null));
        run.Log(0, ("loss", 0));
        await run.FinishAsync();

        Assert.True(handler.Creates >= 2, $"{handler.Creates} creates");
        Assert.Single(await TestRuns.ReadAllAsync(fixture.Server.CreateClient(), run.Id, "loss"));
        Assert.Equal(RunState.Finished, (await fixture.Server.CreateClient().GetRunAsync(run.Id)).State);
    }

    [Fact]
    public async Task A_create_whose_answer_was_lost_still_refuses_a_chosen_id_that_someone_else_may_hold()
    {
        // A chosen id may be another process's run: a 409 after a lost answer cannot tell whose, and Never must not take it over.
        using var handler = new SlowFirstCreate(TimeSpan.FromSeconds(6)) { InnerHandler = new SocketsHttpHandler() };
        var id = "lost-" + Guid.NewGuid().ToString("N")[..8];
        await Assert.ThrowsAsync<InvalidOperationException>(() => TrackerRun.StartAsync(SlowCreateOptions(handler, id)));
        Assert.True(handler.Creates >= 2, $"{handler.Creates} creates");
    }

    private RunOptions SlowCreateOptions(HttpMessageHandler handler, string? id)
    {
        var options = TestRuns.Options(Url, TestRuns.TempDir(), id: id);
        return new RunOptions
        {
            Project = options.Project,
            Id = options.Id,
            Url = options.Url,
            ApiKey = options.ApiKey,
            SpoolDir = options.SpoolDir,
            TrackerHome = options.TrackerHome,
            OnWarning = options.OnWarning,
            HttpHandler = handler,
            MaxRetryAttempts = 5,
            RetryBaseDelay = TimeSpan.FromMilliseconds(50),
            AttemptTimeout = TimeSpan.FromSeconds(3),
        };
    }

    /// <summary>Passes requests on, but holds back the answer to the first run create past the client's attempt timeout
    /// (the server has stored the run; the client times out and retries).</summary>
    private sealed class SlowFirstCreate(TimeSpan hold) : DelegatingHandler
    {
        private int _creates;

        public int Creates => Volatile.Read(ref _creates);

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken);
            if (
                request.Method == HttpMethod.Post
                && request.RequestUri!.AbsolutePath.EndsWith("/runs", StringComparison.Ordinal)
                && Interlocked.Increment(ref _creates) == 1
            )
            {
                try
                {
                    await Task.Delay(hold, cancellationToken); // the client's attempt timeout cancels this
                }
                catch (OperationCanceledException)
                {
                    response.Dispose();
                    throw;
                }
            }
            return response;
        }
    }

    [Fact]
    public async Task A_409_for_a_run_that_is_running_again_when_read_sends_the_batch_again_instead_of_parking_it()
    {
        // What a heartbeat racing a batch leaves: the server refused the batch while the run was crashed, and the heartbeat
        // on the other send loop resumed it before this loop read the run.
        var warnings = new ConcurrentQueue<string>();
        var options = TestRuns.Options(Url, TestRuns.TempDir(), warnings);
        var run = await TrackerRun.StartAsync(
            new RunOptions
            {
                Project = options.Project,
                Url = options.Url,
                ApiKey = options.ApiKey,
                SpoolDir = options.SpoolDir,
                TrackerHome = options.TrackerHome,
                OnWarning = options.OnWarning,
                HttpHandler = new NotRunningFirstBatch { InnerHandler = new SocketsHttpHandler() },
            }
        );
        run.Log(0, ("loss", 0));
        await run.FinishAsync();

        Assert.Single(await TestRuns.ReadAllAsync(fixture.Server.CreateClient(), run.Id, "loss"));
        Assert.DoesNotContain(warnings, w => w.Contains("refused", StringComparison.Ordinal));
        Assert.False(File.Exists(run.SpoolPath));
    }

    /// <summary>Answers the first ingest request with the server's 409 for a run that is not running, without passing it on.</summary>
    private sealed class NotRunningFirstBatch : DelegatingHandler
    {
        private int _done;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (
                request.Method == HttpMethod.Post
                && request.RequestUri!.AbsolutePath.EndsWith("/metrics", StringComparison.Ordinal)
                && Interlocked.Exchange(ref _done, 1) == 0
            )
            {
                return Task.FromResult(
                    new HttpResponseMessage(System.Net.HttpStatusCode.Conflict)
                    {
                        Content = new StringContent(
                            "{\"title\":\"Conflict\",\"detail\":\"Run is crashed; only running runs accept metrics.\"}",
                            Encoding.UTF8,
                            "application/problem+json"
                        ),
                    }
                );
            }
            return base.SendAsync(request, cancellationToken);
        }
    }

    /// <summary>Replaces the body of the first ingest request with one the server rejects (a bad key).</summary>
    private sealed class CorruptFirstBatch : DelegatingHandler
    {
        private int _done;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (
                request.Method == HttpMethod.Post
                && request.RequestUri!.AbsolutePath.EndsWith("/metrics", StringComparison.Ordinal)
                && Interlocked.Exchange(ref _done, 1) == 0
            )
            {
                request.Content = new StringContent(
                    "{\"seq\":1,\"points\":[{\"key\":\"bad\\u0001key\",\"step\":0,\"value\":1}]}",
                    Encoding.UTF8,
                    "application/json"
                );
            }
            return base.SendAsync(request, cancellationToken);
        }
    }
}
