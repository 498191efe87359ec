using Microsoft.AspNetCore.Components;
using Tracker.Client.Services;

namespace Tracker.Client.Components;

/// <summary>The run page's analysis: the verdict in plain words and what to do first, then early stopping, convergence
/// rate, gradient health and active failure modes; the raw evidence and stopping criteria wait behind a disclosure.</summary>
public sealed partial class AnalysisPanel : ComponentBase
{
    /// <summary>The run's analysis, null when the server has none.</summary>
    [Parameter]
    public RunAnalysis? Analysis { get; set; }

    /// <summary>True while the page is still reading the analysis (a missing one is not yet "no analysis").</summary>
    [Parameter]
    public bool Pending { get; set; }

    /// <summary>The words for <see cref="Analysis"/>.</summary>
    private VerdictNarrative Words { get; set; } = new(null);

    private string ToneClass => Words.Tone.ToString().ToLowerInvariant();

    /// <summary>A mark beside the tone's words (decorative: the words carry the meaning).</summary>
    private string ToneMark =>
        Words.Tone switch
        {
            VerdictTone.Good => "✓",
            VerdictTone.Attention => "!",
            VerdictTone.Problem => "✕",
            _ => "…",
        };

    /// <inheritdoc />
    protected override void OnParametersSet() => Words = new VerdictNarrative(Analysis);

    /// <summary>An evidence value: its number to six significant digits, or its text as sent.</summary>
    private static string EvidenceText(RunAnalysis.EvidenceItem e) =>
        e.Value is { } v && double.IsFinite(v) ? v.ToString("G6", System.Globalization.CultureInfo.InvariantCulture) : e.Text;

    /// <summary>The fitted constants as one line, e.g. <c>(c = 0.9867, A = 2.349)</c>.</summary>
    private static string ConstantsText(RunAnalysis.RatePart rate) =>
        rate.Constants.Count == 0 ? "" : "(" + string.Join(", ", rate.Constants.Select(c => $"{c.Key} = {c.Value}")) + ")";
}
