using System.Text.Json;
using Tracker.Sdk.Client;
using Tracker.Sdk.Contracts;

namespace Tracker.Client.Tests.Browser;

/// <summary>A small, deterministic project that looks like a real learning-rate sweep (for screenshots and benchmarks).</summary>
internal static class DemoData
{
    public static async Task<List<RunDto>> CreateSweepAsync(TrackerClient client, string project, int steps = 300)
    {
        double[] rates = [0.3, 0.1, 0.03, 0.01];
        var runs = new List<RunDto>();
        for (var r = 0; r < rates.Length; r++)
        {
            var lr = rates[r];
            var config = JsonDocument
                .Parse(
                    "{\"optimizer\":\"adam\",\"lr\":"
                        + lr.ToString(System.Globalization.CultureInfo.InvariantCulture)
                        + ",\"batch_size\":64,\"model\":{\"layers\":4,\"width\":256}}"
                )
                .RootElement;
            var run = await client.CreateRunAsync(
                project,
                new CreateRunRequest(
                    Name: $"adam-lr{lr.ToString(System.Globalization.CultureInfo.InvariantCulture)}",
                    Group: "lr-sweep",
                    Tags: r == 0 ? ["unstable"] : ["baseline"],
                    Config: config
                )
            );
            var random = new Random(r + 1);
            var points = new List<MetricPointInput>();
            for (var s = 0; s < steps; s++)
            {
                var speed = lr * 40;
                var train = 2.3 * Math.Exp(-speed * s / steps) + 0.05 + 0.04 * random.NextDouble();
                var val = 2.3 * Math.Exp(-speed * s / steps) + 0.12 + (r == 0 ? 0.0025 * s : 0) + 0.03 * random.NextDouble();
                points.Add(new("loss", s, train));
                if (s % 10 == 0)
                    points.Add(new("val_loss", s, val));
                points.Add(new("acc", s, 1 - train / 2.5));
                for (var layer = 1; layer <= 4; layer++)
                {
                    points.Add(new($"grad_norm/layer{layer}", s, Math.Exp(-s / 100.0) * layer * (1 + 0.3 * random.NextDouble())));
                }
            }
            await client.LogMetricsAsync(run.Id, new LogMetricsRequest(0, points));
            if (r > 1)
                await client.UpdateRunAsync(run.Id, new UpdateRunRequest(State: RunState.Finished));
            runs.Add(await client.GetRunAsync(run.Id));
        }
        return runs;
    }
}
