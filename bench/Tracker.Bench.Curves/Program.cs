using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Tracker.Analysis.Convergence;
using Tracker.Bench.Curves;

// Tracker.Bench.Curves: builds and scores the labeled learning-curve corpus (data/curves).
//   generate [--corpus PATH] [--only SUBSTRING]  runs every recipe, confirms its label, writes the corpus
//   evaluate [--corpus PATH] [--verbose]         replays each curve through RunAnalyzer, prints accuracy and confusion
//   report [--verbose]                            evaluate on data/curves/corpus.jsonl, data/curves-torch/dev.jsonl and holdout.jsonl, each separately
//   probe SUBSTRING                               runs matching recipes, prints rule numbers and the verdict (writes nothing)
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
var mode = args.Length > 0 ? args[0] : "evaluate";
var corpus = Option("--corpus") ?? Path.Combine(FindRoot(), "data", "curves", "corpus.jsonl");
switch (mode)
{
    case "generate":
        return Generate(corpus, Option("--only"));
    case "evaluate":
        return Evaluate(corpus, args.Contains("--verbose"));
    case "report":
        return Report(FindRoot(), args.Contains("--verbose"));
    case "probe":
        return Probe(args.Length > 1 ? args[1] : "");
    case "presets":
        return PresetProbe.Run(args.Length > 1 ? args[1] : "");
    case "dump":
        return PresetProbe.Dump(args[1]);
    default:
        Console.Error.WriteLine(
            "usage: Tracker.Bench.Curves generate|evaluate|report|probe [--corpus data/curves/corpus.jsonl] [--verbose] [--only SUBSTRING]"
        );
        return 2;
}

string? Option(string name)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}

static string FindRoot()
{
    for (DirectoryInfo? d = new(Directory.GetCurrentDirectory()); d is not null; d = d.Parent)
    {
        if (File.Exists(Path.Combine(d.FullName, "Tracker.sln")))
        {
            return d.FullName;
        }
    }

    return ".";
}

int Report(string root, bool verbose)
{
    var rc = 0;
    foreach (var file in new[] { "data/curves/corpus.jsonl", "data/curves-torch/dev.jsonl", "data/curves-torch/holdout.jsonl" })
    {
        Console.WriteLine($"== {file}");
        rc |= Evaluate(Path.Combine(root, file), verbose);
        Console.WriteLine();
    }

    return rc;
}

static int Generate(string path, string? only)
{
    var watch = Stopwatch.StartNew();
    var lines = new List<string>();
    var rejected = new List<string>();
    foreach (var recipe in Recipes.All)
    {
        if (only is not null && !recipe.Id.Contains(only, StringComparison.Ordinal))
        {
            continue;
        }

        var (loss, val) = Corpus.Run(recipe.Spec);
        var rule = LabelRules.Measure(loss, val);
        if (!LabelRules.Confirm(recipe.Label, rule, out var why))
        {
            rejected.Add($"{recipe.Id} ({recipe.Label}): fails {why}");
            continue;
        }

        lines.Add(JsonSerializer.Serialize(Corpus.ToCurve(recipe, rule, loss, val), Corpus.Json));
    }

    Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
    File.WriteAllLines(path, lines);
    Console.WriteLine($"wrote {lines.Count} curves to {path} in {watch.Elapsed.TotalSeconds:F1} s; {rejected.Count} recipes rejected by their rule");
    foreach (var r in rejected)
    {
        Console.WriteLine("  rejected " + r);
    }

    return 0;
}

static int Probe(string filter)
{
    foreach (var recipe in Recipes.All.Where(r => r.Id.Contains(filter, StringComparison.Ordinal)))
    {
        var watch = Stopwatch.StartNew();
        var (loss, val) = Corpus.Run(recipe.Spec);
        var rule = LabelRules.Measure(loss, val);
        var ok = LabelRules.Confirm(recipe.Label, rule, out var why);
        var curve = Corpus.ToCurve(recipe, rule, loss, val);
        var verdict = Corpus.Classify(curve);
        Console.WriteLine(
            $"{recipe.Id, -44} {recipe.Label, -19} rule {(ok ? "ok" : "FAIL " + why), -30} got {verdict.Label, -19} {watch.ElapsedMilliseconds, 6} ms"
        );
        Console.WriteLine("    rule: " + string.Join(" ", rule.Select(kv => $"{kv.Key}={kv.Value:G3}")));
        Console.WriteLine("    clf:  " + string.Join(" ", verdict.Evidence.Select(kv => $"{kv.Key}={kv.Value:G3}")));
    }

    return 0;
}

int Evaluate(string path, bool verbose)
{
    if (!File.Exists(path))
    {
        Console.Error.WriteLine($"no corpus at {path}: run 'generate' first");
        return 1;
    }

    var curves = File.ReadAllLines(path).Where(l => l.Length > 0).Select(l => JsonSerializer.Deserialize<Curve>(l, Corpus.Json)!).ToList();
    var labels = Corpus.Labels;
    var confusion = new int[labels.Length, labels.Length];
    var right = 0;
    foreach (var curve in curves)
    {
        var verdict = Corpus.Classify(curve);
        var got = verdict.Label;
        confusion[Array.IndexOf(labels, curve.Label), Array.IndexOf(labels, got)]++;
        if (got == curve.Label)
        {
            right++;
        }
        else if (verbose)
        {
            Console.WriteLine($"  miss {curve.Id}: {curve.Label} -> {got}");
            if (args.Contains("--evidence"))
            {
                Console.WriteLine("      clf:  " + string.Join(" ", verdict.Evidence.Select(kv => $"{kv.Key}={kv.Value:G3}")));
                Console.WriteLine("      rule: " + string.Join(" ", curve.Rule.Select(kv => $"{kv.Key}={kv.Value:G3}")));
            }
        }
    }

    Console.WriteLine($"corpus: {curves.Count} curves ({path})");
    Console.WriteLine($"accuracy: {right}/{curves.Count} = {100.0 * right / Math.Max(1, curves.Count):F1} %");
    Console.WriteLine();
    Console.WriteLine($"{"label", -20} {"right", 9} {"precision", 10} {"recall", 8}");
    for (var i = 0; i < labels.Length; i++)
    {
        int tp = confusion[i, i],
            actual = 0,
            predicted = 0;
        for (var j = 0; j < labels.Length; j++)
        {
            actual += confusion[i, j];
            predicted += confusion[j, i];
        }

        var precision = predicted > 0 ? $"{100.0 * tp / predicted:F1} %" : "-";
        var recall = actual > 0 ? $"{100.0 * tp / actual:F1} %" : "-";
        Console.WriteLine($"{labels[i], -20} {$"{tp}/{actual}", 9} {precision, 10} {recall, 8}");
    }

    Console.WriteLine();
    Console.WriteLine("confusion (rows: true label, columns: classifier)");
    string[] shortNames = ["healthy", "overfit", "underfit", "oscill", "slow", "diverg", "improv", "insuff"];
    Console.WriteLine($"{"", -20}" + string.Concat(shortNames.Select(s => $"{s, 9}")));
    for (var i = 0; i < labels.Length; i++)
    {
        Console.Write($"{labels[i], -20}");
        for (var j = 0; j < labels.Length; j++)
        {
            Console.Write($"{confusion[i, j], 9}");
        }

        Console.WriteLine();
    }

    return 0;
}
