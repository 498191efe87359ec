using System.Globalization;
using System.Text.Json;
using Tracker.Sdk.Contracts;

namespace Tracker.Client.Services;

/// <summary>The server's analysis of a run (<c>GET /api/v1/runs/{id}/analysis</c>, typed as <see cref="RunAnalysisDto"/>), read
/// leniently: absent parts stay null and fields the client does not know yet are ignored (unknown evidence keys are kept).</summary>
public sealed record RunAnalysis(
    RunAnalysis.PatternPart? Pattern,
    RunAnalysis.AdvicePart? Advice,
    IReadOnlyList<RunAnalysis.Criterion> Criteria,
    RunAnalysis.RatePart? Rate,
    RunAnalysis.GradientsPart? Gradients
)
{
    /// <summary>Failure-mode diagnoses seen so far, active or past.</summary>
    public IReadOnlyList<Failure> Failures { get; init; } = [];

    /// <summary>Points observed, or null when the server did not say.</summary>
    public long? Points { get; init; }

    /// <summary>The largest step observed, or null.</summary>
    public long? LastStep { get; init; }

    /// <summary>When the analysis was last updated, or null.</summary>
    public DateTimeOffset? UpdatedAt { get; init; }

    /// <summary>One named piece of evidence: its number when it is one, and its text as sent.</summary>
    public sealed record EvidenceItem(string Name, double? Value, string Text);

    /// <summary>The learning-curve label.</summary>
    public sealed record PatternPart(string? Label, double? Confidence, IReadOnlyList<EvidenceItem> Evidence, string? Action)
    {
        /// <summary>The evidence number named <paramref name="name"/>, or null when absent or not a finite number.</summary>
        public double? Number(string name) => Find(Evidence, name);
    }

    /// <summary>Early-stopping advice (<see cref="Action"/> is null from servers that do not send one).</summary>
    public sealed record AdvicePart(bool ShouldStop, string? Reason, long? BestStep, double? BestValue, string? Monitor, string? Strategy)
    {
        /// <summary>What to do, in plain words, when the server says.</summary>
        public string? Action { get; init; }

        /// <summary>The step at which stop was advised, or null (not advised, or a server that does not say).</summary>
        public long? StopStep { get; init; }
    }

    /// <summary>One stopping criterion.</summary>
    public sealed record Criterion(string Name, bool Met, double? Value, double? Threshold, string? Series);

    /// <summary>Convergence-rate class.</summary>
    public sealed record RatePart(string? Class, IReadOnlyDictionary<string, string> Constants, double? Confidence)
    {
        /// <summary>The fitted constant named <paramref name="name"/> as a number, or null.</summary>
        public double? Number(string name) =>
            Constants.TryGetValue(name, out var text)
            && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v)
            && double.IsFinite(v)
                ? v
                : null;
    }

    /// <summary>Gradient health.</summary>
    public sealed record GradientsPart(string? Status, IReadOnlyList<string> Layers)
    {
        /// <summary>The layers that are not healthy.</summary>
        public IReadOnlyList<string> AffectedLayers { get; init; } = [];

        /// <summary>Every layer with its smoothed norm and status.</summary>
        public IReadOnlyList<GradientLayer> LayerDetails { get; init; } = [];

        /// <summary>Early-layer over late-layer norm, or null.</summary>
        public double? EarlyToLateRatio { get; init; }
    }

    /// <summary>One layer's gradient health.</summary>
    public sealed record GradientLayer(string Name, double? Norm, string? Status);

    /// <summary>A failure-mode diagnosis.</summary>
    public sealed record Failure(string Name, bool Active, long? Step, string? Description, IReadOnlyList<EvidenceItem> Evidence);

    /// <summary>Reads a document in the shape of <see cref="RunAnalysisDto"/> through the SDK's contract (tests use it).</summary>
    public static RunAnalysis Parse(JsonElement root) =>
        From(root.Deserialize(TrackerJsonContext.Default.RunAnalysisDto) ?? throw new JsonException("The analysis document is null."));

    /// <summary>The dashboard's view of the typed answer of <c>GET /api/v1/runs/{id}/analysis</c>; what the server did not
    /// send stays null (the contract's members are all nullable).</summary>
    public static RunAnalysis From(RunAnalysisDto dto)
    {
        ArgumentNullException.ThrowIfNull(dto);
        var pattern = dto.Pattern is { } p ? new PatternPart(p.Label, p.Confidence, Evidence(p.Evidence), p.Action) : null;
        var advice = dto.Advice is { } a
            ? new AdvicePart(a.ShouldStop, a.Reason, a.BestStep, a.BestValue, a.Monitor, a.Strategy) { Action = a.Action, StopStep = a.StopStep }
            : null;
        List<Criterion> criteria =
        [
            .. (dto.Criteria ?? []).OfType<AnalysisCriterionDto>().Select(c => new Criterion(c.Name ?? "?", c.Met, c.Value, c.Threshold, c.Series)),
        ];
        var rate = dto.Rate is { } r
            ? new RatePart(
                r.Class,
                (r.Constants ?? new Dictionary<string, double>()).ToDictionary(k => k.Key, k => Text(k.Value), StringComparer.Ordinal),
                r.Confidence
            )
            : null;
        var layers = (dto.Gradients?.Layers ?? []).OfType<AnalysisGradientLayerDto>().ToList();
        var gradients = dto.Gradients is { } g
            ? new GradientsPart(g.Status, [.. layers.Select(l => l.Status is null ? l.Name ?? "" : $"{l.Name}: {l.Status}")])
            {
                AffectedLayers = [.. g.AffectedLayers ?? []],
                LayerDetails = [.. layers.Select(l => new GradientLayer(l.Name ?? "?", l.Norm, l.Status))],
                EarlyToLateRatio = g.EarlyToLateRatio,
            }
            : null;
        List<Failure> failures =
        [
            .. (dto.Failures ?? []).OfType<AnalysisFailureDto>().Select(f => new Failure(f.Name ?? "?", f.Active, f.Step, f.Description, Evidence(f.Evidence))),
        ];
        return new RunAnalysis(pattern, advice, criteria, rate, gradients)
        {
            Failures = failures,
            Points = dto.Points,
            LastStep = dto.LastStep,
            UpdatedAt = dto.UpdatedAt,
        };
    }

    /// <summary>The evidence number named <paramref name="name"/> in <paramref name="evidence"/>, or null.</summary>
    public static double? Find(IReadOnlyList<EvidenceItem> evidence, string name)
    {
        foreach (var e in evidence)
        {
            if (string.Equals(e.Name, name, StringComparison.Ordinal))
                return e.Value is { } v && double.IsFinite(v) ? v : null;
        }
        return null;
    }

    private static List<EvidenceItem> Evidence(IReadOnlyDictionary<string, double>? evidence) =>
        evidence is null ? [] : [.. evidence.Select(e => new EvidenceItem(e.Key, e.Value, Text(e.Value)))];

    /// <summary>A number as the hand-written reader showed it: the wire's own words for the non-finite ones.</summary>
    private static string Text(double v) =>
        v switch
        {
            double.NaN => "NaN",
            double.PositiveInfinity => "Infinity",
            double.NegativeInfinity => "-Infinity",
            _ => Components.Format.Value(v),
        };
}
