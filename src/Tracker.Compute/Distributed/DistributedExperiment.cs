using System.Text.Json;
using Tracker.Compute.Experiments;
using Tracker.Compute.Problems;
using Tracker.Sdk.Contracts;

namespace Tracker.Compute.Distributed;

/// <summary>Runs the <c>sync_sgd</c> and <c>async_sgd</c> solvers: logs loss, the lr actually applied (lr/(1+staleness) when staleness-aware), suboptimality and dist_to_opt where the optimum is known, staleness and cumulative bytes_up (worker→server), bytes_down (server→worker) and bytes_communicated (their sum) per server step.</summary>
internal static class DistributedExperiment
{
    public static void Run(ExperimentSpec spec, SpecValues p, IMetricSink sink, CancellationToken cancellationToken)
    {
        var workers = p.Integer("workers");
        var batch = p.Integer("batch_size");
        var compression = new CompressionSettings(
            p.Text("compression") switch
            {
                "qsgd" => CompressionKind.Qsgd,
                "topk" => CompressionKind.TopK,
                _ => CompressionKind.None,
            },
            p.Integer("levels"),
            p.Number("k_fraction"),
            p.Boolean("error_feedback")
        );

        var rows = Dataset.Load(p.Text("dataset")).Rows;
        var trainRows = rows - (int)Math.Round(rows * p.Number("validation_fraction"));
        var async = spec.Solver == "async_sgd";
        var global = Math.Min(batch > 0 ? batch * (async ? 1 : workers) : trainRows, trainRows);
        var shard = async ? Math.Clamp(batch > 0 ? batch : trainRows / workers, 1, trainRows) : (global + workers - 1) / workers;
        var given = new Dictionary<string, JsonElement>(spec.Hyperparameters ?? [])
        {
            ["batch_size"] = JsonSerializer.SerializeToElement(shard, ExperimentJsonContext.Default.Int32),
        };
        var problem = ExperimentProblems.Create(
            spec,
            new SpecValues(given, ExperimentCatalog.Solver(spec.Solver)!.Parameters.Concat(ExperimentCatalog.Problem(spec.Problem)!.Parameters))
        );

        var rng = new Random(spec.Seed);
        var x = new double[problem.Dimension];
        problem.InitialPoint(x, rng);
        var sampler = new RowSampler(problem.TrainingRows, rng);
        var compressionRng = new Random(unchecked(spec.Seed * 31 + 17));
        var schedule = ExperimentRunner.CreateSchedule(spec.Schedule, out var scheduleLr);
        var baseLr = scheduleLr ?? p.Number("lr");
        var maxNorm = spec.Clip is { } clip && clip.TryGetValue("max_norm", out var m) ? m.GetDouble() : 0;

        var synchronous = async ? null : new SynchronousSgd(problem, workers, Math.Max(global, workers), sampler, compressionRng, compression);
        var asynchronous = async
            ? new AsynchronousSgd(
                problem,
                x,
                AsynchronousSgd.StragglerDurations(workers, p.Number("straggler")),
                shard,
                p.Integer("max_staleness"),
                p.Boolean("staleness_aware"),
                sampler,
                compressionRng,
                compression
            )
            : null;

        var loss0 = problem.Loss(x);
        sink.Log(0, "loss", loss0);
        ExperimentRunner.LogOptimum(0, problem, x, loss0, sink);
        sink.Log(0, "bytes_up", 0);
        sink.Log(0, "bytes_down", 0);
        sink.Log(0, "bytes_communicated", 0);
        var parameterSink = sink as IParameterSink;
        parameterSink?.OnParameters<double>(0, x);
        for (var t = 1; t <= spec.Steps; t++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var lr = schedule.At(t - 1, baseLr);
            long up,
                down;
            var applied = lr;
            if (asynchronous is not null)
            {
                var staleness = asynchronous.Step(lr, maxNorm);
                applied = asynchronous.StalenessAware ? lr / (1 + staleness) : lr;
                sink.Log(t, "staleness", staleness);
                asynchronous.Parameters.CopyTo(x);
                (up, down) = (asynchronous.BytesUp, asynchronous.BytesDown);
            }
            else
            {
                synchronous!.Step(x, lr, maxNorm);
                sink.Log(t, "staleness", 0);
                (up, down) = (synchronous.BytesUp, synchronous.BytesDown);
            }

            sink.Log(t, "lr", applied);
            sink.Log(t, "bytes_up", up);
            sink.Log(t, "bytes_down", down);
            sink.Log(t, "bytes_communicated", up + down);
            var loss = problem.Loss(x);
            sink.Log(t, "loss", loss);
            ExperimentRunner.LogOptimum(t, problem, x, loss, sink);
            if (problem.HasValidation && (t % Math.Max(1, spec.EvalEvery) == 0 || t == spec.Steps))
            {
                sink.Log(t, "val_loss", problem.ValidationLoss(x));
                if (problem.IsClassifier)
                {
                    sink.Log(t, "val_accuracy", problem.ValidationAccuracy(x));
                }
            }

            parameterSink?.OnParameters<double>(t, x);
        }
    }
}
