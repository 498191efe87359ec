using System.CommandLine;
using Spectre.Console;
using Tracker.Sdk;
using Tracker.Sdk.Client;
using Tracker.Sdk.Contracts;
using Tracker.Sdk.Sync;

namespace Tracker.Cli;

/// <summary>The <c>tracker</c> command tree: <c>login</c>, <c>sync</c>, <c>runs list|show|export</c>.</summary>
internal static class TrackerCommands
{
    private static readonly Option<string?> UrlOption = new("--url")
    {
        Description = "Server URL (default: TRACKER_URL, then ~/.tracker/config).",
        Recursive = true,
    };
    private static readonly Option<string?> KeyOption = new("--api-key")
    {
        Description = "API key (default: TRACKER_API_KEY, then ~/.tracker/config).",
        Recursive = true,
    };
    private static readonly Option<string?> HomeOption = new("--home")
    {
        Description = "Tracker home folder (default: TRACKER_HOME, then ~/.tracker).",
        Recursive = true,
    };

    /// <summary>Builds the command tree; output goes to <paramref name="output"/> (the console by default).</summary>
    public static RootCommand Create(TextWriter? output = null)
    {
        var console = output is null
            ? AnsiConsole.Console
            : AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output), Interactive = InteractionSupport.No });
        var root = new RootCommand("Tracker: log in, upload spooled or offline runs, list, show and export runs.");
        root.Options.Add(UrlOption);
        root.Options.Add(KeyOption);
        root.Options.Add(HomeOption);
        root.Subcommands.Add(Login(console));
        root.Subcommands.Add(SyncCommand(console));
        root.Subcommands.Add(RunsCommands.Create(console, Client));
        root.Subcommands.Add(ArtifactsCommands.Create(console, TransferClient));
        return root;
    }

    /// <summary>A client from the parsed connection options.</summary>
    public static TrackerClient Client(ParseResult parse) =>
        CliConnection.CreateClient(parse.GetValue(UrlOption), parse.GetValue(KeyOption), parse.GetValue(HomeOption));

    /// <summary>A client without retries or timeout, for streamed transfers.</summary>
    public static TrackerClient TransferClient(ParseResult parse) =>
        CliConnection.CreateClient(parse.GetValue(UrlOption), parse.GetValue(KeyOption), parse.GetValue(HomeOption), retrying: false);

    private static Command Login(IAnsiConsole console)
    {
        var project = new Option<string?>("--project") { Description = "Default project for runs." };
        var noVerify = new Option<bool>("--no-verify") { Description = "Save without checking the key against the server." };
        var command = new Command("login", "Store the server URL and API key in ~/.tracker/config.") { project, noVerify };
        command.SetAction(
            async (parse, cancellationToken) =>
            {
                var url = parse.GetValue(UrlOption) ?? console.Prompt(new TextPrompt<string>("Server URL:"));
                var key = parse.GetValue(KeyOption) ?? console.Prompt(new TextPrompt<string>("API key:").Secret());
                if (!parse.GetValue(noVerify))
                {
                    var client = CliConnection.CreateClient(url, key, parse.GetValue(HomeOption));
                    try
                    {
                        await client.ListProjectsAsync(cancellationToken).ConfigureAwait(false);
                    }
                    catch (Exception e) when (e is TrackerApiException or HttpRequestException)
                    {
                        console.MarkupLineInterpolated($"[red]login failed:[/] {e.Message}");
                        return 1;
                    }
                }
                var path = new TrackerConfig(url, key, parse.GetValue(project)).Save(parse.GetValue(HomeOption));
                console.MarkupLineInterpolated($"Saved {path}");
                return 0;
            }
        );
        return command;
    }

    private static Command SyncCommand(IAnsiConsole console)
    {
        var dir = new Argument<string?>("dir") { Description = "A spool folder or file (default: ~/.tracker/spool).", Arity = ArgumentArity.ZeroOrOne };
        var keep = new Option<bool>("--keep") { Description = "Keep spool files after uploading them." };
        var command = new Command("sync", "Upload spooled and offline runs, creating runs that do not exist yet.") { dir, keep };
        command.SetAction(
            async (parse, cancellationToken) =>
            {
                var home = parse.GetValue(HomeOption);
                var spools = SpoolSync.FindSpools(parse.GetValue(dir) ?? Path.Combine(TrackerConfig.ResolveHome(home), "spool"));
                if (spools.Count == 0)
                {
                    console.WriteLine("Nothing to sync.");
                    return 0;
                }
                var sync = new SpoolSync(Client(parse));
                var results = new List<SyncResult>();
                var failed = 0;
                await console
                    .Progress()
                    .StartAsync(async context =>
                    {
                        foreach (var path in spools)
                        {
                            var task = context.AddTask(Path.GetFileNameWithoutExtension(path), maxValue: Math.Max(1, SpoolSync.CountPoints(path)));
                            try
                            {
                                results.Add(
                                    await sync.UploadAsync(path, new Progress<long>(n => task.Increment(n)), parse.GetValue(keep), cancellationToken)
                                        .ConfigureAwait(false)
                                );
                            }
                            catch (Exception e) when (e is TrackerApiException or HttpRequestException or IOException)
                            {
                                failed++;
                                console.MarkupLineInterpolated($"[red]{path}: {e.Message}[/]");
                            }
                            task.Value = task.MaxValue;
                        }
                    })
                    .ConfigureAwait(false);
                foreach (var r in results)
                {
                    console.WriteLine(
                        r.Skipped is { } why
                            ? $"{r.RunId}: skipped ({why})"
                            : $"{r.RunId} ({r.Project}): {r.Points} points in {r.Batches} batches, {r.Accepted} new; state {r.FinalState?.ToString().ToLowerInvariant() ?? "unchanged"}"
                    );
                }
                return failed == 0 ? 0 : 1;
            }
        );
        return command;
    }
}
