using System.Globalization;
using Tracker.Samples.Digits;
using Tracker.Sdk;

// Trains a 64-32-10 MLP on data/digits.csv and logs to Tracker (TRACKER_URL / TRACKER_API_KEY, or `tracker login`).
var path = args.Length > 0 ? args[0] : FindData();
var rows = File.ReadLines(path).Skip(1).Select(line =>
{
    var v = line.Split(',').Select(s => double.Parse(s, CultureInfo.InvariantCulture)).ToArray();
    return (X: v[..64].Select(p => p / 16.0).ToArray(), Y: (int)v[64]);
}).ToArray();
var random = new Random(42);
random.Shuffle(rows);
var train = rows[..(rows.Length * 8 / 10)];
var validation = rows[(rows.Length * 8 / 10)..];

const double baseLr = 0.1;
const int batchSize = 32, epochs = 60;
await using var run = await TrackerRun.StartAsync(new RunOptions
{
    Project = Environment.GetEnvironmentVariable("TRACKER_PROJECT") ?? "digits",
    Name = "mlp-64-32-10-sgd",
    Config = new { model = "mlp-64-32-10", optimizer = "sgd", lr = baseLr, batch = batchSize, epochs },
    Tags = ["sample", "digits"],
});
run.AdviceChanged += (_, advice) => Console.WriteLine($"advice: {advice.Reason} (best step {advice.BestStep})");

var model = new Mlp(random);
long step = 0;
for (var epoch = 0; epoch < epochs; epoch++)
{
    var lr = baseLr * 0.5 * (1 + Math.Cos(Math.PI * epoch / epochs));
    random.Shuffle(train);
    for (var i = 0; i + batchSize <= train.Length; i += batchSize, step++)
    {
        var loss = model.Step(train.AsSpan(i, batchSize), lr);
        run.Log(step, ("loss", loss), ("lr", lr));
        run.LogGradientNorms(step, model.Gradients);
    }
    var (valLoss, accuracy) = model.Evaluate(validation);
    run.Log(step, ("val_loss", valLoss), ("val_accuracy", accuracy), ("epoch", epoch));
    Console.WriteLine($"epoch {epoch,2}: val_loss {valLoss:F4}  val_accuracy {accuracy:P1}");
    if (run.Advice.ShouldStop)
    {
        Console.WriteLine($"stopping early: {run.Advice.Reason}");
        break;
    }
}
await run.FinishAsync();
Console.WriteLine($"run {run.Id} finished");

static string FindData()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
    {
        var candidate = Path.Combine(dir.FullName, "data", "digits.csv");
        if (File.Exists(candidate)) return candidate;
    }
    throw new FileNotFoundException("data/digits.csv not found; pass its path as the first argument.");
}
