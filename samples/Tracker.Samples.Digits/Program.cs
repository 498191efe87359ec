using Tracker.Compute.Networks;
using Tracker.Compute.Optimizers;
using Tracker.Compute.Problems;
using Tracker.Sdk;

// Trains a 64-64-64-10 ReLU MLP (the compute core's MultilayerPerceptron, Adam) on the digits data set shipped in the
// repository and logs to Tracker (TRACKER_URL / TRACKER_API_KEY, or `tracker login`); stops on the server's advice.
const double baseLr = 3e-3;
const int batchSize = 64,
    epochs = 100,
    width = 64,
    depth = 2;
var (train, validation) = Dataset.Load("digits").Split(validationFraction: 0.2, seed: 42, standardize: true);
var problem = new MlpProblem<double>(train, validation, width, depth, Activation.Relu, batchSize: batchSize, init: new WeightInit(InitScheme.KaimingUniform));
var random = new Random(42);
var parameters = new double[problem.Dimension];
var gradient = new double[problem.Dimension];
problem.InitialPoint(parameters, random);
var optimizer = new Adam<double>(problem.Dimension, lr: baseLr);

await using var run = await TrackerRun.StartAsync(
    new RunOptions
    {
        Project = Environment.GetEnvironmentVariable("TRACKER_PROJECT") ?? "digits",
        Name = $"mlp-64-{width}x{depth}-10-adam",
        Config = new Dictionary<string, object>
        {
            ["model"] = $"mlp 64-{width}x{depth}-10 relu",
            ["optimizer"] = "adam",
            ["lr"] = baseLr,
            ["batch"] = batchSize,
            ["epochs"] = epochs,
            ["tracker.analysis"] = new Dictionary<string, object>
            {
                ["monitor"] = "val_loss",
                ["patience"] = 8,
                ["min_delta"] = 1e-4,
            },
        },
        Tags = ["sample", "digits"],
    }
);
run.AdviceChanged += (_, advice) => Console.WriteLine($"advice: {advice.Reason} (best step {advice.BestStep}, pattern {advice.Pattern})");

var layers = problem.Layers;
var norms = new (string Layer, double Norm)[layers.Count];
var stepsPerEpoch = train.Rows / batchSize;
long step = 0;
for (var epoch = 0; epoch < epochs; epoch++)
{
    for (var b = 0; b < stepsPerEpoch; b++, step++)
    {
        // Cosine decay of the learning rate over the whole run.
        optimizer.LearningRate = baseLr * 0.5 * (1 + Math.Cos(Math.PI * step / (epochs * stepsPerEpoch)));
        problem.NextBatch(random);
        var loss = problem.Evaluate(parameters, gradient);
        for (var l = 0; l < layers.Count; l++)
        {
            norms[l] = (layers[l].Name, System.Numerics.Tensors.TensorPrimitives.Norm<double>(gradient.AsSpan(layers[l].Offset, layers[l].Length)));
        }
        optimizer.Step(parameters, gradient);
        run.Log(step, ("loss", loss), ("lr", optimizer.LearningRate));
        run.LogGradientNorms(step, norms);
    }
    var valLoss = problem.ValidationLoss(parameters);
    var accuracy = problem.ValidationAccuracy(parameters);
    run.Log(step, ("val_loss", valLoss), ("val_accuracy", accuracy), ("epoch", epoch));
    Console.WriteLine($"epoch {epoch, 3}: val_loss {valLoss:F4}  val_accuracy {accuracy:P1}");
    if (run.Advice.ShouldStop)
    {
        Console.WriteLine($"stopping early: {run.Advice.Reason}");
        break;
    }
}
await run.FinishAsync();
Console.WriteLine($"run {run.Id} finished");
