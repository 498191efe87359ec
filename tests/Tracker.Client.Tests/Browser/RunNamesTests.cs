using System.Globalization;
using System.Text.Json.Nodes;
using Tracker.Client.Components;
using Tracker.Sdk.Client;
using Tracker.Sdk.Contracts;

namespace Tracker.Client.Tests.Browser;

/// <summary>Runs are told apart by name (a preset's name; a sweep's varying values) and their durations are right whether
/// they finished, failed or still run: through the HTTP API and in the runs table.</summary>
[Collection(DashboardCollection.Name)]
public sealed class RunNamesTests(DashboardFixture fx) : BrowserTest(fx)
{
    [Fact]
    public async Task A_preset_names_its_run_and_a_sweep_names_each_run_by_the_values_that_vary()
    {
        const string project = "names";
        var client = Fx.Admin;
        var preset = await client.LaunchExperimentAsync(project, Body("""{"preset": "lr-just-right", "steps": 40}"""));
        var sweep = await client.LaunchExperimentAsync(
            project,
            Body("""{"solver": "gd", "problem": "quadratic", "hyperparameters": {"lr": [0.01, 0.03, 0.1], "condition_number": 10}, "steps": 40}""")
        );
        var ids = sweep.RunIds.Prepend(preset.RunId).ToList();
        foreach (var id in ids)
            await WaitForEndAsync(client, id);

        Assert.Equal("lr-just-right", (await client.GetRunAsync(preset.RunId)).Name);
        var names = new List<string>();
        foreach (var id in sweep.RunIds)
            names.Add((await client.GetRunAsync(id)).Name);
        Assert.Equal(["lr=0.01", "lr=0.03", "lr=0.1"], names.Order(StringComparer.Ordinal));

        // A hosted run's end is recorded: its duration is its real length, not 0.
        foreach (var id in ids)
        {
            var run = await client.GetRunAsync(id);
            Assert.Equal(RunState.Finished, run.State);
            Assert.NotNull(run.EndedAt);
            Assert.True(run.EndedAt > run.CreatedAt, $"{run.Name}: ended {run.EndedAt:O}, created {run.CreatedAt:O}");
        }

        var page = await Fx.SignedInPageAsync();
        await page.GotoAsync($"projects/{project}");
        foreach (var id in ids)
        {
            var run = await client.GetRunAsync(id);
            var row = page.Locator($"tr[data-run='{id}']");
            await row.WaitForAsync();
            Assert.Equal(run.Name, (await row.Locator("a.run-name").TextContentAsync())?.Trim());
            var shown = (await row.Locator("td.duration").TextContentAsync())?.Trim();
            Assert.Equal(Format.Duration(run.EndedAt!.Value - (run.StartedAt ?? run.CreatedAt)), shown);
            Assert.NotEqual("0s", shown);
        }
    }

    [Fact]
    public async Task A_hosted_run_that_waited_in_the_queue_counts_its_duration_from_its_start()
    {
        const string project = "queued-durations";
        var client = Fx.Admin;
        // More runs than the server runs at once (one per core, by default): the last ones wait in the queue.
        var count = Math.Min(Environment.ProcessorCount + 4, 60);
        var rates = string.Join(", ", Enumerable.Range(1, count).Select(i => (0.001 * i).ToString(CultureInfo.InvariantCulture)));
        var sweep = await client.LaunchExperimentAsync(
            project,
            Body($$"""{"solver": "gd", "problem": "quadratic", "hyperparameters": {"lr": [{{rates}}], "condition_number": 10}, "steps": 3000}""")
        );
        foreach (var id in sweep.RunIds)
            await WaitForEndAsync(client, id);

        var runs = new List<RunDto>();
        foreach (var id in sweep.RunIds)
        {
            var run = await client.GetRunAsync(id);
            var job = await client.GetExperimentAsync(id);
            Assert.NotNull(run.StartedAt);
            Assert.Equal(job.StartedAt, run.StartedAt);
            Assert.Equal(run.EndedAt!.Value - run.StartedAt!.Value, Format.RunDuration(run));
            runs.Add(run);
        }
        var waited = runs.MaxBy(r => r.StartedAt!.Value - r.CreatedAt)!;
        Assert.True(
            waited.StartedAt!.Value - waited.CreatedAt >= TimeSpan.FromMilliseconds(50),
            $"no run waited: {string.Join(", ", runs.Select(r => $"{r.Name} {(r.StartedAt!.Value - r.CreatedAt).TotalMilliseconds} ms"))}"
        );

        // The list endpoint says the same, and the table shows the duration without the wait.
        var listed = (await client.ListRunsAsync(project)).Runs.Single(r => r.Id == waited.Id);
        Assert.Equal(waited.StartedAt, listed.StartedAt);
        var page = await Fx.SignedInPageAsync();
        await page.GotoAsync($"projects/{project}");
        var cell = page.Locator($"tr[data-run='{waited.Id}'] td.duration");
        await cell.WaitForAsync();
        Assert.Equal(Format.Duration(waited.EndedAt!.Value - waited.StartedAt!.Value), (await cell.TextContentAsync())?.Trim());
    }

    [Fact]
    public async Task Durations_are_right_for_failed_and_running_runs()
    {
        const string project = "durations";
        var client = Fx.Admin;
        var failed = await client.CreateRunAsync(project, new CreateRunRequest(Name: "fails-after-a-while"));
        var running = await client.CreateRunAsync(project, new CreateRunRequest(Name: "still-running"));
        await client.LogMetricsAsync(running.Id, new LogMetricsRequest(0, [new MetricPointInput("loss", 0, 1)]));
        await Task.Delay(1500);
        await client.UpdateRunAsync(failed.Id, new UpdateRunRequest(State: RunState.Failed));

        var failedRun = await client.GetRunAsync(failed.Id);
        Assert.Equal(RunState.Failed, failedRun.State);
        var failedFor = failedRun.EndedAt!.Value - failedRun.CreatedAt;
        Assert.InRange(failedFor.TotalSeconds, 1.4, 30);
        Assert.Null((await client.GetRunAsync(running.Id)).EndedAt);

        var page = await Fx.SignedInPageAsync();
        await page.GotoAsync($"projects/{project}");
        var failedCell = page.Locator($"tr[data-run='{failed.Id}'] td.duration");
        await failedCell.WaitForAsync();
        Assert.Equal(Format.Duration(failedFor), (await failedCell.TextContentAsync())?.Trim());
        // A running run's duration counts up to now: at least the 1.5 s since it was created.
        var runningText = (await page.Locator($"tr[data-run='{running.Id}'] td.duration").TextContentAsync())?.Trim() ?? "";
        Assert.EndsWith("s", runningText, StringComparison.Ordinal);
        Assert.True(
            double.TryParse(runningText.TrimEnd('s'), NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds >= 1.5,
            $"running run shows '{runningText}'"
        );
    }

    private static JsonObject Body(string json) => JsonNode.Parse(json)!.AsObject();

    private static async Task WaitForEndAsync(TrackerClient client, string runId)
    {
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (DateTime.UtcNow < deadline)
        {
            if ((await client.GetExperimentAsync(runId)).State is "succeeded" or "failed" or "cancelled")
                return;
            await Task.Delay(100);
        }
        throw new TimeoutException($"experiment {runId} did not end");
    }
}
