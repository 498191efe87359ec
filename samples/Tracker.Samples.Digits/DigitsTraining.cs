using System.Buffers.Binary;
using System.Net.Http.Headers;
using System.Numerics.Tensors;
using Tracker.Compute.Networks;
using Tracker.Compute.Optimizers;
using Tracker.Compute.Problems;
using Tracker.Sdk;
using Tracker.Sdk.Client;
using Tracker.Sdk.Contracts;

namespace Tracker.Samples.Digits;

/// <summary>How <see cref="DigitsTraining.RunAsync"/> trains and where it logs.</summary>
public sealed record DigitsSettings
{
    /// <summary>Epochs to train at most (the cosine decay spans them; the server's advice may stop earlier).</summary>
    public int Epochs { get; init; } = 100;

    /// <summary>The project; <c>TRACKER_PROJECT</c> or <c>digits</c> when unset.</summary>
    public string? Project { get; init; }

    /// <summary>The server; <c>TRACKER_URL</c> or <c>~/.tracker/config</c> when unset.</summary>
    public Uri? Url { get; init; }

    /// <summary>The API key; <c>TRACKER_API_KEY</c> or <c>~/.tracker/config</c> when unset.</summary>
    public string? ApiKey { get; init; }

    /// <summary>Where the progress lines go.</summary>
    public TextWriter Output { get; init; } = TextWriter.Null;
}

/// <summary>What a training run did: its best epoch by <c>val_loss</c> and the model restored from the server's best checkpoint.</summary>
/// <param name="RunId">The run.</param>
/// <param name="EpochsRun">Epochs trained before the end or the stop advice.</param>
/// <param name="BestEpoch">The epoch with the lowest validation loss (the earliest on ties).</param>
/// <param name="BestStep">Its step: the step its validation metrics and its checkpoint were logged at.</param>
/// <param name="BestValLoss">Its validation loss.</param>
/// <param name="BestValAccuracy">Its validation accuracy.</param>
/// <param name="Checkpoint">The server's best checkpoint (null when there is no server).</param>
/// <param name="RestoredValLoss">The validation loss of the model loaded from that checkpoint (NaN without one).</param>
/// <param name="RestoredValAccuracy">Its validation accuracy (NaN without one).</param>
public sealed record DigitsResult(
    string RunId,
    int EpochsRun,
    int BestEpoch,
    long BestStep,
    double BestValLoss,
    double BestValAccuracy,
    ArtifactDto? Checkpoint,
    double RestoredValLoss,
    double RestoredValAccuracy
);

/// <summary>Trains a 64-64-64-10 ReLU MLP (the compute core's MultilayerPerceptron, Adam) on the digits data set shipped in
/// the repository, logs to Tracker, saves the parameters as a checkpoint every epoch (the server keeps the best one by
/// <c>val_loss</c>: <c>tracker.checkpoints: {keep_best: 1}</c>), stops on the server's advice, then downloads the best
/// checkpoint, loads it and scores it on the validation set.</summary>
public static class DigitsTraining
{
    private const double BaseLr = 3e-3;
    private const int BatchSize = 64,
        Width = 64,
        Depth = 2;

    /// <summary>Trains, restores the best checkpoint and reports both.</summary>
    public static async Task<DigitsResult> RunAsync(DigitsSettings settings, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var output = settings.Output;
        var epochs = settings.Epochs;
        var (train, validation) = Dataset.Load("digits").Split(validationFraction: 0.2, seed: 42, standardize: true);
        var problem = new MlpProblem<double>(
            train,
            validation,
            Width,
            Depth,
            Activation.Relu,
            batchSize: BatchSize,
            init: new WeightInit(InitScheme.KaimingUniform)
        );
        var random = new Random(42);
        var parameters = new double[problem.Dimension];
        var gradient = new double[problem.Dimension];
        problem.InitialPoint(parameters, random);
        var optimizer = new Adam<double>(problem.Dimension, lr: BaseLr);

        await using var run = await TrackerRun.StartAsync(
            new RunOptions
            {
                Project = settings.Project ?? Environment.GetEnvironmentVariable("TRACKER_PROJECT") ?? "digits",
                Name = $"mlp-64-{Width}x{Depth}-10-adam",
                Url = settings.Url,
                ApiKey = settings.ApiKey,
                Config = new Dictionary<string, object>
                {
                    ["model"] = $"mlp 64-{Width}x{Depth}-10 relu",
                    ["optimizer"] = "adam",
                    ["lr"] = BaseLr,
                    ["batch"] = BatchSize,
                    ["epochs"] = epochs,
                    ["tracker.analysis"] = new Dictionary<string, object>
                    {
                        ["monitor"] = "val_loss",
                        ["patience"] = 8,
                        ["min_delta"] = 1e-4,
                    },
                    // The server keeps only the best checkpoint by the monitor above (val_loss, lower is better).
                    ["tracker.checkpoints"] = new Dictionary<string, object> { ["keep_best"] = 1 },
                },
                Tags = ["sample", "digits"],
            },
            cancellationToken
        );
        run.AdviceChanged += (_, advice) => output.WriteLine($"advice: {advice.Reason} (best step {advice.BestStep}, pattern {advice.Pattern})");

        var layers = problem.Layers;
        var norms = new (string Layer, double Norm)[layers.Count];
        var stepsPerEpoch = train.Rows / BatchSize;
        long step = 0;
        var epochsRun = 0;
        (int Epoch, long Step, double Loss, double Accuracy) best = (-1, -1, double.PositiveInfinity, double.NaN);
        for (var epoch = 0; epoch < epochs; epoch++)
        {
            for (var b = 0; b < stepsPerEpoch; b++, step++)
            {
                // Cosine decay of the learning rate over the whole run.
                optimizer.LearningRate = BaseLr * 0.5 * (1 + Math.Cos(Math.PI * step / (epochs * stepsPerEpoch)));
                problem.NextBatch(random);
                var loss = problem.Evaluate(parameters, gradient);
                for (var l = 0; l < layers.Count; l++)
                {
                    norms[l] = (layers[l].Name, TensorPrimitives.Norm<double>(gradient.AsSpan(layers[l].Offset, layers[l].Length)));
                }
                optimizer.Step(parameters, gradient);
                run.Log(step, ("loss", loss), ("lr", optimizer.LearningRate));
                run.LogGradientNorms(step, norms);
            }
            var valLoss = problem.ValidationLoss(parameters);
            var accuracy = problem.ValidationAccuracy(parameters);
            run.Log(step, ("val_loss", valLoss), ("val_accuracy", accuracy), ("epoch", epoch));
            // The checkpoint of this epoch: the parameters at the step its val_loss was logged at.
            using (var checkpoint = new MemoryStream(Encode(parameters), writable: false))
            {
                await run.SaveCheckpointAsync(step, checkpoint, cancellationToken: cancellationToken);
            }
            epochsRun = epoch + 1;
            if (valLoss < best.Loss)
                best = (epoch, step, valLoss, accuracy);
            output.WriteLine($"epoch {epoch, 3}: val_loss {valLoss:F4}  val_accuracy {accuracy:P1}");
            if (run.Advice.ShouldStop)
            {
                output.WriteLine($"stopping early: {run.Advice.Reason}");
                break;
            }
        }
        // Finishing flushes the points and uploads the spooled checkpoints; retention has then judged every one.
        await run.FinishAsync();
        output.WriteLine($"run {run.Id} finished; best epoch {best.Epoch} (step {best.Step}): val_loss {best.Loss:F4}, val_accuracy {best.Accuracy:P1}");

        var (restored, restoredLoss, restoredAccuracy) = await RestoreBestAsync(settings, run.Id, problem, cancellationToken);
        if (restored is null)
        {
            output.WriteLine("no best checkpoint to restore (no server, or no checkpoint with a val_loss)");
        }
        else
        {
            var same = restored.Step == best.Step && restoredLoss.Equals(best.Loss) && restoredAccuracy.Equals(best.Accuracy);
            output.WriteLine(
                $"restored {restored.Path} (step {restored.Step}, val_loss {restored.MetricValue:F4}): val_loss {restoredLoss:F4}  val_accuracy {restoredAccuracy:P1}"
                    + (same ? " = the best epoch's" : " (differs from the best epoch's!)")
            );
        }
        return new DigitsResult(run.Id, epochsRun, best.Epoch, best.Step, best.Loss, best.Accuracy, restored, restoredLoss, restoredAccuracy);
    }

    /// <summary>The checkpoint format: the parameter vector as little-endian float64.</summary>
    public static byte[] Encode(ReadOnlySpan<double> parameters)
    {
        var bytes = new byte[parameters.Length * sizeof(double)];
        for (var i = 0; i < parameters.Length; i++)
            BinaryPrimitives.WriteDoubleLittleEndian(bytes.AsSpan(i * sizeof(double)), parameters[i]);
        return bytes;
    }

    /// <summary>Reads a checkpoint written by <see cref="Encode"/>; throws when it does not hold <paramref name="dimension"/> values.</summary>
    public static double[] Decode(ReadOnlySpan<byte> bytes, int dimension)
    {
        if (bytes.Length != dimension * sizeof(double))
            throw new InvalidDataException($"a checkpoint of {bytes.Length} bytes does not hold {dimension} float64 parameters");
        var parameters = new double[dimension];
        for (var i = 0; i < dimension; i++)
            parameters[i] = BinaryPrimitives.ReadDoubleLittleEndian(bytes[(i * sizeof(double))..]);
        return parameters;
    }

    /// <summary>Downloads the run's best checkpoint (<c>GET /runs/{id}/checkpoints/best</c>), loads it into a fresh
    /// parameter vector and scores it on the validation set.</summary>
    private static async Task<(ArtifactDto? Checkpoint, double Loss, double Accuracy)> RestoreBestAsync(
        DigitsSettings settings,
        string runId,
        MlpProblem<double> problem,
        CancellationToken cancellationToken
    )
    {
        var config = TrackerConfig.Load();
        var url = settings.Url ?? ToUri(Environment.GetEnvironmentVariable("TRACKER_URL")) ?? ToUri(config.Url);
        var apiKey = settings.ApiKey ?? NonEmpty(Environment.GetEnvironmentVariable("TRACKER_API_KEY")) ?? config.ApiKey;
        if (url is null)
            return (null, double.NaN, double.NaN);
        using var http = new HttpClient { BaseAddress = url.AbsoluteUri.EndsWith('/') ? url : new Uri(url.AbsoluteUri + "/") };
        if (!string.IsNullOrEmpty(apiKey))
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        var client = new TrackerClient(http);
        var best = await client.GetBestCheckpointAsync(runId, cancellationToken);
        if (best is null)
            return (null, double.NaN, double.NaN);
        using var bytes = new MemoryStream();
        await using (var stream = await client.OpenArtifactAsync(runId, best.Path, cancellationToken))
        {
            await stream.CopyToAsync(bytes, cancellationToken);
        }
        var restored = Decode(bytes.GetBuffer().AsSpan(0, (int)bytes.Length), problem.Dimension);
        return (best, problem.ValidationLoss(restored), problem.ValidationAccuracy(restored));
    }

    private static Uri? ToUri(string? text) => string.IsNullOrWhiteSpace(text) ? null : new Uri(text, UriKind.Absolute);

    private static string? NonEmpty(string? text) => string.IsNullOrEmpty(text) ? null : text;
}
