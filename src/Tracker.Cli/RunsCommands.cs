using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using Tracker.Sdk.Client;
using Tracker.Sdk.Contracts;

namespace Tracker.Cli;

/// <summary><c>tracker runs list|show|export</c>.</summary>
internal static class RunsCommands
{
    public static Command Create(IAnsiConsole console, Func<ParseResult, TrackerClient> client)
    {
        var runs = new Command("runs", "List, show and export runs.");
        runs.Subcommands.Add(List(console, client));
        runs.Subcommands.Add(Show(console, client));
        runs.Subcommands.Add(Export(console, client));
        return runs;
    }

    private static Command List(IAnsiConsole console, Func<ParseResult, TrackerClient> client)
    {
        var project = new Argument<string>("project") { Description = "Project slug." };
        var limit = new Option<int>("--limit") { Description = "Most runs to show.", DefaultValueFactory = _ => 50 };
        var command = new Command("list", "The runs of a project, newest first.") { project, limit };
        command.SetAction(
            async (parse, cancellationToken) =>
            {
                var page = await client(parse)
                    .ListRunsAsync(parse.GetValue(project)!, new RunQuery(Sort: "createdAt", Descending: true, Limit: parse.GetValue(limit)), cancellationToken)
                    .ConfigureAwait(false);
                var table = new Table().AddColumns("id", "name", "state", "created", "metrics");
                foreach (var r in page.Runs)
                {
                    table.AddRow(
                        Markup.Escape(r.Id),
                        Markup.Escape(r.Name),
                        r.State.ToString().ToLowerInvariant(),
                        r.CreatedAt.ToString("u", CultureInfo.InvariantCulture),
                        r.Summary.Count.ToString(CultureInfo.InvariantCulture)
                    );
                }
                console.Write(table);
                return 0;
            }
        );
        return command;
    }

    private static Command Show(IAnsiConsole console, Func<ParseResult, TrackerClient> client)
    {
        var id = new Argument<string>("id") { Description = "Run id." };
        var command = new Command("show", "A run's state, config and per-metric summary.") { id };
        command.SetAction(
            async (parse, cancellationToken) =>
            {
                var r = await client(parse).GetRunAsync(parse.GetValue(id)!, cancellationToken).ConfigureAwait(false);
                console.WriteLine($"{r.Id}  {r.Name}  ({r.Project})  {r.State.ToString().ToLowerInvariant()}");
                if (r.Tags.Count > 0)
                    console.WriteLine("tags: " + string.Join(", ", r.Tags));
                if (r.Config is { } config)
                    console.WriteLine("config: " + config.GetRawText());
                var table = new Table().AddColumns("metric", "count", "last", "min", "max", "last step");
                foreach (var (key, s) in r.Summary.OrderBy(kv => kv.Key, StringComparer.Ordinal))
                {
                    table.AddRow(
                        Markup.Escape(key),
                        s.Count.ToString(CultureInfo.InvariantCulture),
                        Num(s.Last),
                        Num(s.Min),
                        Num(s.Max),
                        s.LastStep.ToString(CultureInfo.InvariantCulture)
                    );
                }
                console.Write(table);
                return 0;
            }
        );
        return command;
    }

    private static Command Export(IAnsiConsole console, Func<ParseResult, TrackerClient> client)
    {
        var id = new Argument<string>("id") { Description = "Run id." };
        var output = new Option<string?>("--output", "-o") { Description = "CSV file to write (default: standard output)." };
        var command = new Command("export", "Every point of a run as CSV (step,key,value,time).") { id, output };
        command.SetAction(
            async (parse, cancellationToken) =>
            {
                await using var csv = await client(parse).ExportCsvAsync(parse.GetValue(id)!, cancellationToken).ConfigureAwait(false);
                if (parse.GetValue(output) is { } path)
                {
                    await using var file = File.Create(path);
                    await csv.CopyToAsync(file, cancellationToken).ConfigureAwait(false);
                    console.WriteLine($"Wrote {path}");
                }
                else
                {
                    using var reader = new StreamReader(csv);
                    console.Profile.Out.Writer.Write(await reader.ReadToEndAsync(cancellationToken).ConfigureAwait(false));
                }
                return 0;
            }
        );
        return command;
    }

    private static string Num(double? value) => value?.ToString("G6", CultureInfo.InvariantCulture) ?? "-";
}
