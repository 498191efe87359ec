using System.Text.Json.Serialization;

namespace Tracker.Bench.Curves;

/// <summary>One labeled learning curve of the corpus (one line of <c>corpus.jsonl</c>).</summary>
internal sealed class Curve
{
    [JsonPropertyName("id")]
    public required string Id { get; init; }

    [JsonPropertyName("family")]
    public required string Family { get; init; }

    [JsonPropertyName("label")]
    public required string Label { get; init; }

    /// <summary>The numbers the labeling rule read (on the full, undecimated series).</summary>
    [JsonPropertyName("rule")]
    public required Dictionary<string, double> Rule { get; init; }

    /// <summary>The experiment spec (solver, problem, hyperparameters, schedule, init, steps, seed, evalEvery).</summary>
    [JsonPropertyName("spec")]
    public required string Spec { get; init; }

    /// <summary>Training loss logged every <see cref="Stride"/> steps (plus step 0 and the last step).</summary>
    [JsonPropertyName("stride")]
    public int Stride { get; init; }

    [JsonPropertyName("loss_steps")]
    public required long[] LossSteps { get; init; }

    [JsonPropertyName("loss")]
    public required double[] Loss { get; init; }

    [JsonPropertyName("val_steps")]
    public required long[] ValSteps { get; init; }

    [JsonPropertyName("val_loss")]
    public required double[] ValLoss { get; init; }
}
