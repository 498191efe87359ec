using System.Globalization;
using System.Text.Json;

namespace Tracker.Client.Services;

/// <summary>The server's analysis of a run (<c>GET /api/v1/runs/{id}/analysis</c>), read leniently: absent parts stay null
/// and fields the client does not know yet are ignored (unknown evidence keys are kept as evidence).</summary>
public sealed record RunAnalysis(
    RunAnalysis.PatternPart? Pattern,
    RunAnalysis.AdvicePart? Advice,
    IReadOnlyList<RunAnalysis.Criterion> Criteria,
    RunAnalysis.RatePart? Rate,
    RunAnalysis.GradientsPart? Gradients)
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
    }

    /// <summary>One stopping criterion.</summary>
    public sealed record Criterion(string Name, bool Met, double? Value, double? Threshold, string? Series);

    /// <summary>Convergence-rate class.</summary>
    public sealed record RatePart(string? Class, IReadOnlyDictionary<string, string> Constants, double? Confidence)
    {
        /// <summary>The fitted constant named <paramref name="name"/> as a number, or null.</summary>
        public double? Number(string name) =>
            Constants.TryGetValue(name, out var text) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v) ? v : null;
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

    /// <summary>Reads the JSON document.</summary>
    public static async Task<RunAnalysis> ParseAsync(Stream json, CancellationToken cancellationToken)
    {
        using var doc = await JsonDocument.ParseAsync(json, cancellationToken: cancellationToken);
        return Parse(doc.RootElement);
    }

    /// <summary>Reads an already parsed document.</summary>
    public static RunAnalysis Parse(JsonElement root)
    {
        PatternPart? pattern = root.TryGetProperty("pattern", out var p) && p.ValueKind == JsonValueKind.Object
            ? new PatternPart(Str(p, "label"), Num(p, "confidence"), Evidence(p), Str(p, "action"))
            : null;
        AdvicePart? advice = root.TryGetProperty("advice", out var a) && a.ValueKind == JsonValueKind.Object
            ? new AdvicePart(a.TryGetProperty("shouldStop", out var s) && s.ValueKind == JsonValueKind.True, Str(a, "reason"),
                Num(a, "bestStep") is { } bs ? (long)bs : null, Num(a, "bestValue"), Str(a, "monitor"), Str(a, "strategy"))
            { Action = Str(a, "action") }
            : null;
        var criteria = new List<Criterion>();
        foreach (var e in Objects(root, "criteria"))
        {
            criteria.Add(new Criterion(Str(e, "name") ?? "?", e.TryGetProperty("met", out var m) && m.ValueKind == JsonValueKind.True,
                Num(e, "value"), Num(e, "threshold"), Str(e, "series")));
        }
        RatePart? rate = null;
        if (root.TryGetProperty("rate", out var r) && r.ValueKind == JsonValueKind.Object)
        {
            var constants = new Dictionary<string, string>(StringComparer.Ordinal);
            if (r.TryGetProperty("constants", out var k) && k.ValueKind == JsonValueKind.Object)
            {
                foreach (var prop in k.EnumerateObject()) constants[prop.Name] = Text(prop.Value);
            }
            rate = new RatePart(Str(r, "class"), constants, Num(r, "confidence"));
        }
        GradientsPart? gradients = root.TryGetProperty("gradients", out var g) && g.ValueKind == JsonValueKind.Object
            ? new GradientsPart(Str(g, "status"), Strings(g, "layers"))
            {
                AffectedLayers = Strings(g, "affectedLayers"),
                LayerDetails = [.. Objects(g, "layers").Select(l => new GradientLayer(Str(l, "name") ?? "?", Num(l, "norm"), Str(l, "status")))],
                EarlyToLateRatio = Num(g, "earlyToLateRatio"),
            }
            : null;
        var failures = Objects(root, "failures")
            .Select(f => new Failure(Str(f, "name") ?? "?", f.TryGetProperty("active", out var act) && act.ValueKind == JsonValueKind.True,
                Num(f, "step") is { } st ? (long)st : null, Str(f, "description"), Evidence(f)))
            .ToList();
        return new RunAnalysis(pattern, advice, criteria, rate, gradients)
        {
            Failures = failures,
            Points = Num(root, "points") is { } n ? (long)n : null,
            LastStep = Num(root, "lastStep") is { } ls ? (long)ls : null,
            UpdatedAt = root.TryGetProperty("updatedAt", out var u) && u.ValueKind == JsonValueKind.String && u.TryGetDateTimeOffset(out var t) ? t : null,
        };
    }

    /// <summary>The evidence number named <paramref name="name"/> in <paramref name="evidence"/>, or null.</summary>
    public static double? Find(IReadOnlyList<EvidenceItem> evidence, string name)
    {
        foreach (var e in evidence)
        {
            if (string.Equals(e.Name, name, StringComparison.Ordinal)) return e.Value is { } v && double.IsFinite(v) ? v : null;
        }
        return null;
    }

    private static List<JsonElement> Objects(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Array
            ? [.. v.EnumerateArray().Where(x => x.ValueKind == JsonValueKind.Object)]
            : [];

    private static List<EvidenceItem> Evidence(JsonElement e)
    {
        if (!e.TryGetProperty("evidence", out var v)) return [];
        return v.ValueKind switch
        {
            JsonValueKind.Object => [.. v.EnumerateObject().Select(p => new EvidenceItem(p.Name, AsNumber(p.Value), Text(p.Value)))],
            JsonValueKind.Array => [.. v.EnumerateArray().Select((x, i) => new EvidenceItem(i.ToString(CultureInfo.InvariantCulture), AsNumber(x), Text(x)))],
            JsonValueKind.Null => [],
            _ => [new EvidenceItem("evidence", AsNumber(v), Text(v))],
        };
    }

    private static string? Str(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null ? Text(v) : null;

    private static double? Num(JsonElement e, string name) => e.TryGetProperty(name, out var v) ? AsNumber(v) : null;

    private static double? AsNumber(JsonElement v) => v.ValueKind switch
    {
        JsonValueKind.Number => v.GetDouble(),
        JsonValueKind.String when double.TryParse(v.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => d,
        _ => null,
    };

    private static List<string> Strings(JsonElement e, string name)
    {
        if (!e.TryGetProperty(name, out var v)) return [];
        return v.ValueKind switch
        {
            JsonValueKind.Array => [.. v.EnumerateArray().Select(Text)],
            JsonValueKind.Object => [.. v.EnumerateObject().Select(p => $"{p.Name}: {Text(p.Value)}")],
            JsonValueKind.Null => [],
            _ => [Text(v)],
        };
    }

    private static string Text(JsonElement v) => v.ValueKind switch
    {
        JsonValueKind.String => v.GetString() ?? "",
        JsonValueKind.Object when v.TryGetProperty("name", out var n) => Text(n) + (v.TryGetProperty("status", out var s) ? ": " + Text(s) : ""),
        JsonValueKind.Number => Components.Format.Value(v.GetDouble()),
        _ => v.GetRawText(),
    };
}
