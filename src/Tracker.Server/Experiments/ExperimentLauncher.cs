using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Tracker.Analysis.Convergence;
using Tracker.Compute.Experiments;
using Tracker.Sdk.Contracts;
using Tracker.Server.Analysis;
using Tracker.Server.Apis;
using Tracker.Server.Hosting;
using Tracker.Server.Runs;
using Tracker.Server.Storage;
using Tracker.Server.Storage.Entities;

namespace Tracker.Server.Experiments;

/// <summary>Turns a launch body (spec, preset or sweep) into validated specs, and each into a run plus a queued job.</summary>
internal sealed class ExperimentLauncher(
    TrackerDbContext db,
    TimeProvider time,
    IOptions<TrackerOptions> options,
    ExperimentSignal signal,
    RunLifecycle lifecycle
)
{
    private static readonly string[] RunFields = ["preset", "name", "group", "tags", "notes"];

    /// <summary>What a launch came to: the runs, or field errors (400), or the project's queue quota refusing it (429).</summary>
    public sealed record Outcome(ExperimentLaunchResponse? Launched, Dictionary<string, string[]>? Errors, string? QuotaExceeded = null);

    public async Task<Outcome> LaunchAsync(string project, JsonObject body, CancellationToken cancellationToken)
    {
        var (launched, errors, quota) = await ValidateAndQueueAsync(project, body, cancellationToken);
        return new(launched, errors, quota);
    }

    private async Task<(ExperimentLaunchResponse?, Dictionary<string, string[]>?, string?)> ValidateAndQueueAsync(
        string project,
        JsonObject body,
        CancellationToken cancellationToken
    )
    {
        var settings = options.Value.Experiments;
        var spec = body;
        string? presetName = null;
        if (body["preset"] is { } presetNode)
        {
            presetName = presetNode.GetValueKind() == JsonValueKind.String ? presetNode.GetValue<string>() : "";
            var preset = ExperimentPresets.All.FirstOrDefault(p => p.Name == presetName);
            if (preset is null)
            {
                return (null, Error("preset", $"Unknown preset; one of: {string.Join(", ", ExperimentPresets.All.Select(p => p.Name))}."), null);
            }
            spec = Overlay((JsonObject)JsonNode.Parse(preset.Spec.ToJson())!, body);
        }
        var name = Text(body, "name");
        var group = Text(body, "group");
        var notes = Text(body, "notes");
        var tags = body["tags"] is JsonArray t ? t.Select(x => x?.GetValueKind() == JsonValueKind.String ? x.GetValue<string>() : "").ToList() : [];
        spec = (JsonObject)spec.DeepClone();
        foreach (var field in RunFields)
            spec.Remove(field);
        var userAnalysis = spec[AnalysisConfig.EntryName];
        if (userAnalysis is not null)
        {
            if (userAnalysis is not JsonObject)
                return (null, Error(AnalysisConfig.EntryName, "must be a JSON object"), null);
            using var entry = JsonDocument.Parse(userAnalysis.ToJsonString());
            if (AnalysisSettings.CheckEntry(entry.RootElement) is { } analysisProblem)
                return (null, Error(AnalysisConfig.EntryName, analysisProblem), null);
        }

        // A list of seeds repeats the experiment (or each combination of a sweep) once per seed.
        List<int>? seeds = null;
        if (spec["seed"] is JsonArray seedList)
        {
            seeds = [];
            foreach (var seed in seedList)
            {
                if (seed is not JsonValue v || !v.TryGetValue<int>(out var s))
                    return (null, Error("seed", "must be an integer or a list of integers"), null);
                seeds.Add(s);
            }
            spec.Remove("seed");
        }
        ExperimentSpec parsed;
        try
        {
            parsed = ExperimentSpec.FromJson(spec.ToJsonString());
        }
        catch (JsonException e)
        {
            return (null, Error(string.IsNullOrEmpty(e.Path) ? "$" : e.Path, e.Message), null);
        }
        IReadOnlyList<ExperimentSpec> combinations;
        try
        {
            combinations = ExperimentSweep.Expand(parsed);
        }
        catch (ArgumentException e)
        {
            return (null, Error("hyperparameters", e.Message), null);
        }
        var runs = (long)combinations.Count * (seeds?.Count ?? 1);
        if (runs > options.Value.Experiments.MaxSweepRuns || seeds is { Count: 0 })
        {
            return (
                null,
                Error(
                    seeds is { Count: 0 } ? "seed" : "hyperparameters",
                    $"the sweep would launch {runs} runs; between 1 and {options.Value.Experiments.MaxSweepRuns} are allowed"
                ),
                null
            );
        }
        var swept = parsed
            .Hyperparameters.Where(h => combinations.Count > 1 && combinations.Select(c => c.Hyperparameters[h.Key].GetRawText()).Distinct().Count() > 1)
            .Select(h => h.Key)
            .ToList();
        var specs = new List<(ExperimentSpec Spec, string Label)>();
        foreach (var combination in combinations)
        {
            foreach (var seed in seeds ?? [combination.Seed])
            {
                var variant = combination with { Seed = seed };
                var errors = ExperimentCatalog.Validate(variant);
                if (errors.Count > 0)
                    return (null, errors, null);
                if (MemoryErrors(variant, settings.MaxMemoryBytes) is { } tooLarge)
                    return (null, tooLarge, null);
                var label = string.Join(' ', swept.Select(k => $"{k}={LabelValue(variant.Hyperparameters[k])}").Concat(seeds is null ? [] : [$"seed={seed}"]));
                specs.Add((variant, label));
            }
        }
        if (name is { Length: > 200 })
            return (null, Error("name", "must be at most 200 characters"), null);
        if (tags.Any(x => x.Length is 0 or > RunValidation.MaxTagLength))
            return (null, Error("tags", $"each tag must be 1–{RunValidation.MaxTagLength} characters"), null);

        // A soft quota: two launches racing may both pass it, by at most one sweep each.
        var active = await db.ExperimentJobs.CountAsync(
            j =>
                (j.State == ExperimentJobState.Queued || j.State == ExperimentJobState.Running)
                && db.Runs.Any(r => r.Id == j.RunId && r.Project!.Name == project),
            cancellationToken
        );
        if (active + specs.Count > settings.MaxQueuedPerProject)
        {
            return (
                null,
                null,
                $"Project '{project}' has {active} experiments queued or running and this launch adds {specs.Count}; "
                    + $"at most {settings.MaxQueuedPerProject} are allowed at once (Tracker:Experiments:MaxQueuedPerProject). Retry when some have ended."
            );
        }

        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var projectEntity = await ProjectsApi.GetOrCreateAsync(db, project, now, cancellationToken);
        var sweep = specs.Count > 1;
        group ??= sweep ? $"sweep-{RandomNumberGenerator.GetString("abcdefghijklmnopqrstuvwxyz0123456789", 6)}" : null;
        var newRuns = new List<RunEntity>();
        var jobs = new List<ExperimentJobEntity>();
        foreach (var (s, label) in specs)
        {
            var run = new RunEntity
            {
                Id = RunIdentity.NewId(),
                ProjectId = projectEntity.Id,
                Name = RunName(name ?? presetName, s, sweep ? label : null),
                Group = group,
                Notes = notes,
                ConfigJson = ConfigWithHints(s, userAnalysis as JsonObject),
                State = RunState.Running,
                CreatedMs = now,
                UpdatedMs = now,
                HeartbeatMs = now,
            };
            run.Tags = tags.Append("experiment")
                .Append(s.Solver)
                .Append(s.Problem)
                .Distinct(StringComparer.Ordinal)
                .Select(tag => new RunTagEntity { RunId = run.Id, Tag = tag })
                .ToList();
            newRuns.Add(run);
            jobs.Add(
                new ExperimentJobEntity
                {
                    RunId = run.Id,
                    SpecJson = run.ConfigJson,
                    State = ExperimentJobState.Queued,
                    CreatedMs = now,
                }
            );
        }
        await lifecycle.CreateAsync(project, newRuns, "experiment queued", cancellationToken, related: jobs);
        var runIds = newRuns.Select(r => r.Id).ToList();
        signal.Notify(runIds.Count);
        return (new ExperimentLaunchResponse(runIds[0], runIds, group), null, null);
    }

    /// <summary>A swept value as a run's name shows it: a choice bare (<c>activation=tanh</c>), others as JSON (<c>lr=0.01</c>, <c>nesterov=true</c>).</summary>
    private static string LabelValue(JsonElement value) => value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText();

    /// <summary>A launched run's name: a sweep's run is named by the values that vary (<c>lr=0.01</c>, after the given name
    /// or the preset's when there is one); a single run by the given name, else its preset, else <c>solver-problem</c>.</summary>
    internal static string RunName(string? given, ExperimentSpec spec, string? sweepLabel) =>
        (given, sweepLabel) switch
        {
            (null, { Length: > 0 } label) => label,
            ({ } name, { Length: > 0 } label) => $"{name} {label}",
            ({ } name, _) => name,
            _ => $"{spec.Solver}-{spec.Problem}",
        };

    /// <summary>Errors naming the parameters that drive the estimate when the experiment would keep more than the limit.</summary>
    private static Dictionary<string, string[]>? MemoryErrors(ExperimentSpec spec, long maxBytes)
    {
        var footprint = ExperimentFootprint.Estimate(spec);
        if (footprint.Bytes <= maxBytes)
            return null;
        var message =
            $"the experiment would keep about {Mib(footprint.Bytes)} MiB in memory; at most {Mib(maxBytes)} MiB are allowed (Tracker:Experiments:MaxMemoryBytes)";
        return (footprint.Drivers.Count > 0 ? footprint.Drivers : ["hyperparameters"]).ToDictionary(d => d, _ => new[] { message });
    }

    private static string Mib(long bytes) => (bytes / (1024.0 * 1024)).ToString("0.#", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The spec as the run's config, with a <c>tracker.analysis</c> entry: the user's, plus the experiment's
    /// analysis hints (<c>optimal_loss</c>, <c>num_classes</c>) wherever the user's entry does not set them.</summary>
    private static string ConfigWithHints(ExperimentSpec spec, JsonObject? userAnalysis)
    {
        var config = (JsonObject)JsonNode.Parse(spec.ToJson())!;
        var analysis = (JsonObject?)userAnalysis?.DeepClone() ?? [];
        var hints = AnalysisHints.For(spec);
        if (hints.OptimalLoss is { } optimum && !analysis.ContainsKey("optimal_loss"))
            analysis["optimal_loss"] = optimum;
        if (hints.NumClasses is { } classes && !analysis.ContainsKey("num_classes"))
            analysis["num_classes"] = classes;
        if (analysis.Count > 0)
            config[AnalysisConfig.EntryName] = analysis;
        return config.ToJsonString();
    }

    /// <summary>The preset's spec with the body's fields on top (hyper-parameters merged key by key).</summary>
    private static JsonObject Overlay(JsonObject preset, JsonObject body)
    {
        foreach (var (key, value) in body)
        {
            if (key == "hyperparameters" && value is JsonObject hyper && preset["hyperparameters"] is JsonObject baseHyper)
            {
                foreach (var (h, v) in hyper)
                    baseHyper[h] = v?.DeepClone();
            }
            else
            {
                preset[key] = value?.DeepClone();
            }
        }
        return preset;
    }

    private static string? Text(JsonObject body, string field) =>
        body[field] is { } node && node.GetValueKind() == JsonValueKind.String ? node.GetValue<string>() : null;

    private static Dictionary<string, string[]> Error(string field, string message) => new() { [field] = [message] };
}
