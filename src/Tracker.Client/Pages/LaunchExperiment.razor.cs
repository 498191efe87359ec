using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Components;
using Tracker.Client.Components;
using Tracker.Client.Services;
using Tracker.Sdk.Client;
using Tracker.Sdk.Contracts;

namespace Tracker.Client.Pages;

/// <summary><c>/projects/{project}/experiments/new</c>: a form built from the experiment catalog; launching opens the
/// new run (or the project filtered to the sweep's group).</summary>
public sealed partial class LaunchExperiment : ComponentBase
{
    private ExperimentCatalogDocument? _catalog;
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _scheduleValues = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<string>> _sweeps = new(StringComparer.Ordinal);
    private Dictionary<string, string[]> _fieldErrors = new(StringComparer.Ordinal);
    private string _preset = "";
    private string _solver = "";
    private string _problem = "";
    private string _schedule = "";
    private int _steps = 200;
    private string _seed = "0";
    private bool _canWrite;
    private bool _signedOut;
    private bool _launching;
    private string? _error;

    /// <summary>The project's slug.</summary>
    [Parameter]
    public string Project { get; set; } = "";

    [Inject]
    public required TrackerApi Api { get; init; }

    [Inject]
    public required NavigationManager Nav { get; init; }

    private ComponentDescriptor? Solver => _catalog?.Solvers.FirstOrDefault(s => s.Name == _solver);

    private IEnumerable<ComponentDescriptor> Problems =>
        _catalog is null ? [] : _catalog.Problems.Where(p => Solver?.Compatible is not { } compatible || compatible.Contains(p.Name));

    private IEnumerable<ParameterDescriptor> Parameters =>
        (Solver?.Parameters ?? []).Concat(_catalog?.Problems.FirstOrDefault(p => p.Name == _problem)?.Parameters ?? []);

    private IEnumerable<ParameterDescriptor> ScheduleParameters => _catalog?.Schedules.FirstOrDefault(s => s.Name == _schedule)?.Parameters ?? [];

    protected override async Task OnInitializedAsync()
    {
        if (!await Api.IsSignedInAsync())
        {
            _signedOut = true;
            return;
        }
        try
        {
            var client = await Api.ClientAsync();
            _canWrite = await Api.CanWriteAsync();
            _catalog = await client.GetExperimentCatalogAsync();
            SelectSolver(_catalog.Solvers.Count > 0 ? _catalog.Solvers[0].Name : null);
        }
        catch (TrackerApiException e)
        {
            _error = e.Message;
        }
    }

    /// <summary>The first message about <paramref name="field"/> (the server's problem-details key), or null.</summary>
    private string? FieldError(string field) => _fieldErrors.GetValueOrDefault(field) is [var first, ..] ? first : null;

    /// <summary>How many runs the launch makes (the product of the sweeps' sizes).</summary>
    private int RunCount => _sweeps.Values.Where(v => v.Count > 0).Aggregate(1, (n, v) => n * v.Count);

    private string LaunchText => RunCount > 1 ? $"Launch {RunCount} runs" : "Launch";

    /// <summary>A field's text for the spec: its sweep's values when it has some, else its value.</summary>
    private string TextOf(ParameterDescriptor p) =>
        _sweeps.GetValueOrDefault(p.Name) is { Count: > 0 } sweep ? string.Join(", ", sweep) : _values.GetValueOrDefault(p.Name) ?? "";

    private void SelectSolver(string? name, bool keepPreset = false)
    {
        if (!keepPreset)
            _preset = "";
        _solver = name ?? "";
        if (!Problems.Any(p => p.Name == _problem))
            _problem = Problems.FirstOrDefault()?.Name ?? "";
        ResetValues();
    }

    private void SelectProblem(string? name)
    {
        _preset = "";
        _problem = name ?? "";
        ResetValues();
    }

    private void SelectSchedule(string? name)
    {
        _schedule = name ?? "";
        _scheduleValues.Clear();
        foreach (var p in ScheduleParameters)
            _scheduleValues[p.Name] = LaunchSpecBuilder.DefaultText(p);
    }

    private void ResetValues()
    {
        _values.Clear();
        _sweeps.Clear();
        _fieldErrors = new(StringComparer.Ordinal);
        foreach (var p in Parameters)
            _values[p.Name] = LaunchSpecBuilder.DefaultText(p);
    }

    private void ApplyPreset(ChangeEventArgs e)
    {
        var preset = _catalog?.Presets.FirstOrDefault(p => p.Name == e.Value?.ToString());
        if (preset is null)
        {
            _preset = "";
            return;
        }
        SelectSolver(preset.Spec.Solver, keepPreset: true);
        _preset = preset.Name;
        _problem = preset.Spec.Problem;
        ResetValues();
        var kinds = Parameters.ToDictionary(p => p.Name, ParameterField.KindOf, StringComparer.Ordinal);
        foreach (var (k, v) in preset.Spec.Hyperparameters)
        {
            if (v.ValueKind == JsonValueKind.Array && kinds.GetValueOrDefault(k) is ParameterKind.Number or ParameterKind.Switch or ParameterKind.Choice)
            {
                // A swept number, switch or choice: its values become chips, the control keeps the first.
                _sweeps[k] = v.EnumerateArray().Select(x => x.ValueKind == JsonValueKind.String ? x.GetString()! : x.GetRawText()).ToList();
                _values[k] = _sweeps[k][0];
                continue;
            }
            _values[k] =
                v.ValueKind == JsonValueKind.Array ? string.Join(", ", v.EnumerateArray().Select(x => x.GetRawText()))
                : v.ValueKind == JsonValueKind.String ? v.GetString()!
                : v.GetRawText();
        }
        _schedule = preset.Spec.Schedule?.GetValueOrDefault("name").GetString() ?? "";
        _scheduleValues.Clear();
        foreach (var (k, v) in preset.Spec.Schedule ?? [])
            if (k != "name")
                _scheduleValues[k] = v.ValueKind == JsonValueKind.String ? v.GetString()! : v.GetRawText();
        _steps = preset.Spec.Steps;
        _seed = preset.Spec.Seed.ToString(CultureInfo.InvariantCulture);
    }

    private void FieldChanged() => _error = null;

    /// <summary>Whether the form shows the server's message for <paramref name="key"/> beside a field.</summary>
    private bool IsShownByAField(string key) =>
        key is "solver" or "problem" or "steps" or "seed" or "schedule.name"
        || (key.StartsWith("hyperparameters.", StringComparison.Ordinal) && Parameters.Any(p => key == $"hyperparameters.{p.Name}"))
        || (key.StartsWith("schedule.", StringComparison.Ordinal) && ScheduleParameters.Any(p => key == $"schedule.{p.Name}"));

    private async Task LaunchAsync()
    {
        _error = null;
        _fieldErrors = new(StringComparer.Ordinal);
        var hyper = new Dictionary<string, JsonNode>(StringComparer.Ordinal);
        foreach (var p in Parameters)
        {
            var text = TextOf(p);
            if (string.IsNullOrWhiteSpace(text))
                continue;
            var node = LaunchSpecBuilder.Parse(p, text, out var error);
            if (node is null)
            {
                _fieldErrors[$"hyperparameters.{p.Name}"] = [error ?? "not a valid value"];
                continue;
            }
            hyper[p.Name] = node;
        }
        var schedule = new Dictionary<string, JsonNode>(StringComparer.Ordinal);
        foreach (var p in ScheduleParameters)
        {
            if (!_scheduleValues.TryGetValue(p.Name, out var text) || string.IsNullOrWhiteSpace(text))
                continue;
            var node = LaunchSpecBuilder.Parse(p, text, out var error);
            if (node is null)
            {
                _fieldErrors[$"schedule.{p.Name}"] = [error ?? "not a valid value"];
                continue;
            }
            schedule[p.Name] = node;
        }
        var seed = LaunchSpecBuilder.Parse(new ParameterDescriptor("seed", "integer", default), _seed, out var seedError);
        if (seed is null)
            _fieldErrors["seed"] = [seedError ?? "must be an integer or a comma list of integers"];
        if (_fieldErrors.Count > 0 || seed is null)
        {
            _error = "Some fields need a look: see the messages beside them.";
            return;
        }
        _launching = true;
        try
        {
            var client = await Api.ClientAsync();
            var spec = LaunchSpecBuilder.Build(_solver, _problem, hyper, _schedule, schedule, _steps, seed);
            if (_preset.Length > 0)
                spec["preset"] = _preset; // the server names the runs after it; the form's spec overrides the preset's fields
            var launched = await client.LaunchExperimentAsync(Project, spec);
            Nav.NavigateTo(
                launched.RunIds.Count > 1 && launched.Group is { } group
                    ? $"projects/{Uri.EscapeDataString(Project)}?group={Uri.EscapeDataString(group)}"
                    : $"runs/{Uri.EscapeDataString(launched.RunId)}"
            );
        }
        catch (TrackerApiException e)
        {
            // A validation problem lists its messages by field: each goes beside its field, the rest above the button.
            _fieldErrors = e.Errors is { } errors ? new(errors, StringComparer.Ordinal) : new(StringComparer.Ordinal);
            var unplaced = _fieldErrors.Where(kv => !IsShownByAField(kv.Key)).SelectMany(kv => kv.Value.Select(m => $"{kv.Key}: {m}")).ToList();
            _error =
                unplaced.Count > 0 ? string.Join(" ", unplaced)
                : _fieldErrors.Count > 0 ? "Some fields need a look: see the messages beside them."
                : e.Detail ?? e.Message;
        }
        finally
        {
            _launching = false;
        }
    }
}
