using Tracker.Analysis.Convergence;
using Tracker.Sdk.Contracts;

namespace Tracker.Server.Analysis;

/// <summary>The analyzers' snapshot as the API's contract (<see cref="RunAnalysisDto"/>), field for field.</summary>
internal static class AnalysisContractMapping
{
    /// <summary>The answer of <c>GET /api/v1/runs/{id}/analysis</c>.</summary>
    public static RunAnalysisDto ToDto(this AnalysisSnapshot s, DateTimeOffset updatedAt) =>
        new(
            s.Pattern.ToDto(),
            s.Advice.ToDto(),
            [.. s.Criteria.Select(c => new AnalysisCriterionDto(c.Name, c.Met, c.Value, c.Threshold, c.Series))],
            new AnalysisRateDto(s.Rate.Class, s.Rate.Constants, s.Rate.Confidence),
            new AnalysisGradientsDto(
                s.Gradients.Status,
                s.Gradients.AffectedLayers,
                [.. s.Gradients.Layers.Select(l => new AnalysisGradientLayerDto(l.Name, l.Depth, l.Norm, l.Last, l.Status))],
                s.Gradients.EarlyToLateRatio
            ),
            [.. s.Failures.Select(f => new AnalysisFailureDto(f.Name, f.Active, f.Step, f.Description, f.Evidence))],
            s.Points,
            s.LastStep,
            updatedAt
        );

    private static AnalysisPatternDto ToDto(this PatternSnapshot p) => new(p.Label, p.Confidence, p.Evidence, p.Action, p.Pending);

    private static AnalysisAdviceDto ToDto(this AdviceSnapshot a) =>
        new(a.ShouldStop, a.Reason, a.BestStep, a.BestValue, a.Monitor, a.Strategy, a.Action, a.Pattern, a.StopStep);
}
