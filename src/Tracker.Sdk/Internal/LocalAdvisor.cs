using System.Text.Json;
using Tracker.Analysis.Convergence;
using Tracker.Sdk.Contracts;

namespace Tracker.Sdk.Internal;

/// <summary>Early-stopping advice without a server (offline mode): the server's own analyzers, run in-process on the
/// send loop (never on the training thread), configured from the run config's <c>tracker.analysis</c> entry.</summary>
internal sealed class LocalAdvisor
{
    private static readonly long PatternEveryMs = 1_000;
    private readonly RunAnalyzer _analyzer;
    private long _lastPatternMs;
    private bool _evaluated;
    private AdviceDto? _last;

    /// <summary>The server's shipped defaults (its appsettings.json), so offline and online advice agree.</summary>
    private static readonly RunAnalyzerOptions ShippedDefaults = AnalysisConfig.Apply(
        new RunAnalyzerOptions(),
        JsonDocument.Parse("""{"patience": 5}""").RootElement
    );

    public LocalAdvisor(JsonElement? config, RunWarnings warnings)
    {
        var options = ShippedDefaults;
        if (config is { ValueKind: JsonValueKind.Object } c && c.TryGetProperty(AnalysisConfig.EntryName, out var entry))
        {
            try
            {
                options = AnalysisConfig.Apply(options, entry);
            }
            catch (ArgumentException e)
            {
                warnings.Once("analysis-config", $"ignoring an invalid {AnalysisConfig.EntryName} config for offline advice: {e.Message}");
            }
        }
        _analyzer = new RunAnalyzer(options);
    }

    /// <summary>Feeds a drained batch; returns the advice when it changed, else null.</summary>
    public AdviceDto? Observe(ReadOnlySpan<PointRing.Slot> first, ReadOnlySpan<PointRing.Slot> second)
    {
        foreach (ref readonly var s in first)
            _analyzer.Observe(s.Point.Key, s.Point.Step, s.Point.Value);
        foreach (ref readonly var s in second)
            _analyzer.Observe(s.Point.Key, s.Point.Step, s.Point.Value);
        var now = Environment.TickCount64;
        if (!_evaluated || now - _lastPatternMs >= PatternEveryMs)
        {
            _evaluated = true;
            _analyzer.Evaluate(); // the held pattern label and its action, read by Advice() below
            _lastPatternMs = now;
        }
        var a = _analyzer.Advice();
        var advice = new AdviceDto(a.ShouldStop, a.Reason, a.BestStep, a.Pattern, a.Action);
        if (advice == _last)
            return null;
        _last = advice;
        return advice;
    }
}
