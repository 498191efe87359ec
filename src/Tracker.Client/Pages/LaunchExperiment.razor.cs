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

    private static string Range(ParameterDescriptor p) =>
        p.Choices is { Count: > 0 } choices ? string.Join(" | ", choices)
        : p.Minimum is not null || p.Maximum is not null
            ? $"[{p.Minimum?.ToString(CultureInfo.InvariantCulture) ?? "−∞"}, {p.Maximum?.ToString(CultureInfo.InvariantCulture) ?? "∞"}]"
        : p.Type;

    private static void SetValue(Dictionary<string, string> into, string name, ChangeEventArgs e) => into[name] = e.Value?.ToString() ?? "";

    private void SelectSolver(string? name)
    {
        _solver = name ?? "";
        if (!Problems.Any(p => p.Name == _problem))
            _problem = Problems.FirstOrDefault()?.Name ?? "";
        ResetValues();
    }

    private void SelectProblem(string? name)
    {
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
        foreach (var p in Parameters)
            _values[p.Name] = LaunchSpecBuilder.DefaultText(p);
    }

    private void ApplyPreset(ChangeEventArgs e)
    {
        var preset = _catalog?.Presets.FirstOrDefault(p => p.Name == e.Value?.ToString());
        if (preset is null)
            return;
        SelectSolver(preset.Spec.Solver);
        _problem = preset.Spec.Problem;
        ResetValues();
        foreach (var (k, v) in preset.Spec.Hyperparameters)
            _values[k] =
                v.ValueKind == JsonValueKind.Array ? string.Join(", ", v.EnumerateArray().Select(x => x.GetRawText()))
                : v.ValueKind == JsonValueKind.String ? v.GetString()!
                : v.GetRawText();
        _schedule = preset.Spec.Schedule?.GetValueOrDefault("name").GetString() ?? "";
        _scheduleValues.Clear();
        foreach (var (k, v) in preset.Spec.Schedule ?? [])
            if (k != "name")
                _scheduleValues[k] = v.ValueKind == JsonValueKind.String ? v.GetString()! : v.GetRawText();
        _steps = preset.Spec.Steps;
        _seed = preset.Spec.Seed.ToString(CultureInfo.InvariantCulture);
    }

    private async Task LaunchAsync()
    {
        _error = null;
        var hyper = new Dictionary<string, JsonNode>(StringComparer.Ordinal);
        foreach (var p in Parameters)
        {
            if (!_values.TryGetValue(p.Name, out var text) || string.IsNullOrWhiteSpace(text))
                continue;
            var node = LaunchSpecBuilder.Parse(p, text, out var error);
            if (node is null)
            {
                _error = error;
                return;
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
                _error = error;
                return;
            }
            schedule[p.Name] = node;
        }
        var seed = LaunchSpecBuilder.Parse(new ParameterDescriptor("seed", "integer", default), _seed, out var seedError);
        if (seed is null)
        {
            _error = seedError;
            return;
        }
        _launching = true;
        try
        {
            var client = await Api.ClientAsync();
            var spec = LaunchSpecBuilder.Build(_solver, _problem, hyper, _schedule, schedule, _steps, seed);
            var launched = await client.LaunchExperimentAsync(Project, spec);
            Nav.NavigateTo(
                launched.RunIds.Count > 1 && launched.Group is { } group
                    ? $"projects/{Uri.EscapeDataString(Project)}?group={Uri.EscapeDataString(group)}"
                    : $"runs/{Uri.EscapeDataString(launched.RunId)}"
            );
        }
        catch (TrackerApiException e)
        {
            _error = e.Detail ?? e.Message;
        }
        finally
        {
            _launching = false;
        }
    }
}
