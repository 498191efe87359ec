using System.Globalization;
using System.Text.Json;

namespace Tracker.Client.Services;

/// <summary>The server's analysis of a run (<c>GET /api/v1/runs/{id}/analysis</c>), read leniently: absent parts stay null.</summary>
public sealed record RunAnalysis(
    RunAnalysis.PatternPart? Pattern,
    RunAnalysis.AdvicePart? Advice,
    IReadOnlyList<RunAnalysis.Criterion> Criteria,
    RunAnalysis.RatePart? Rate,
    RunAnalysis.GradientsPart? Gradients)
{
    /// <summary>The learning-curve label.</summary>
    public sealed record PatternPart(string? Label, double? Confidence, IReadOnlyList<string> Evidence, string? Action);

    /// <summary>Early-stopping advice.</summary>
    public sealed record AdvicePart(bool ShouldStop, string? Reason, long? BestStep, double? BestValue, string? Monitor, string? Strategy);

    /// <summary>One stopping criterion.</summary>
    public sealed record Criterion(string Name, bool Met, double? Value, double? Threshold, string? Series);

    /// <summary>Convergence-rate class.</summary>
    public sealed record RatePart(string? Class, IReadOnlyDictionary<string, string> Constants, double? Confidence);

    /// <summary>Gradient health.</summary>
    public sealed record GradientsPart(string? Status, IReadOnlyList<string> Layers);

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
            ? new PatternPart(Str(p, "label"), Num(p, "confidence"), Strings(p, "evidence"), Str(p, "action"))
            : null;
        AdvicePart? advice = root.TryGetProperty("advice", out var a) && a.ValueKind == JsonValueKind.Object
            ? new AdvicePart(a.TryGetProperty("shouldStop", out var s) && s.ValueKind == JsonValueKind.True, Str(a, "reason"),
                Num(a, "bestStep") is { } bs ? (long)bs : null, Num(a, "bestValue"), Str(a, "monitor"), Str(a, "strategy"))
            : null;
        var criteria = new List<Criterion>();
        if (root.TryGetProperty("criteria", out var c) && c.ValueKind == JsonValueKind.Array)
        {
            foreach (var e in c.EnumerateArray())
            {
                if (e.ValueKind != JsonValueKind.Object) continue;
                criteria.Add(new Criterion(Str(e, "name") ?? "?", e.TryGetProperty("met", out var m) && m.ValueKind == JsonValueKind.True,
                    Num(e, "value"), Num(e, "threshold"), Str(e, "series")));
            }
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
            : null;
        return new RunAnalysis(pattern, advice, criteria, rate, gradients);
    }

    private static string? Str(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null ? Text(v) : null;

    private static double? Num(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) ? v.ValueKind switch
        {
            JsonValueKind.Number => v.GetDouble(),
            JsonValueKind.String when double.TryParse(v.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => d,
            _ => null,
        } : null;

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
