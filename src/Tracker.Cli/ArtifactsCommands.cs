using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using Tracker.Sdk.Client;

namespace Tracker.Cli;

/// <summary><c>tracker artifacts list|get|put</c>: a run's files.</summary>
internal static class ArtifactsCommands
{
    /// <summary>The command group; <paramref name="client"/> must not retry (an upload body is read once) nor time out.</summary>
    public static Command Create(IAnsiConsole console, Func<ParseResult, TrackerClient> client)
    {
        var artifacts = new Command("artifacts", "List, download and upload a run's artifacts.");
        artifacts.Subcommands.Add(List(console, client));
        artifacts.Subcommands.Add(Get(console, client));
        artifacts.Subcommands.Add(Put(console, client));
        return artifacts;
    }

    private static Command List(IAnsiConsole console, Func<ParseResult, TrackerClient> client)
    {
        var run = new Argument<string>("run") { Description = "Run id." };
        var command = new Command("list", "A run's artifacts with size, step, kind and checksum.") { run };
        command.SetAction(
            async (parse, cancellationToken) =>
            {
                var list = await client(parse).ListArtifactsAsync(parse.GetValue(run)!, cancellationToken).ConfigureAwait(false);
                var table = new Table().AddColumns("path", "size", "step", "kind", "value", "sha256");
                foreach (var a in list.Artifacts)
                {
                    table.AddRow(
                        Markup.Escape(a.Path),
                        a.Size.ToString(CultureInfo.InvariantCulture),
                        a.Step?.ToString(CultureInfo.InvariantCulture) ?? "",
                        a.Kind ?? "",
                        a.MetricValue?.ToString("G6", CultureInfo.InvariantCulture) ?? "",
                        a.Sha256[..12]
                    );
                }
                console.Write(table);
                return 0;
            }
        );
        return command;
    }

    private static Command Get(IAnsiConsole console, Func<ParseResult, TrackerClient> client)
    {
        var run = new Argument<string>("run") { Description = "Run id." };
        var path = new Argument<string>("path") { Description = "Artifact path, or 'best' for the checkpoint to restore." };
        var output = new Option<string?>("--output", "-o") { Description = "Where to write it (default: the path's file name)." };
        var command = new Command("get", "Download an artifact (or the best checkpoint).") { run, path, output };
        command.SetAction(
            async (parse, cancellationToken) =>
            {
                var c = client(parse);
                var runId = parse.GetValue(run)!;
                var artifactPath = parse.GetValue(path)!;
                if (artifactPath == "best")
                {
                    var best = await c.GetBestCheckpointAsync(runId, cancellationToken).ConfigureAwait(false);
                    if (best is null)
                    {
                        console.MarkupLineInterpolated($"[red]run {runId} has no best checkpoint yet[/]");
                        return 1;
                    }
                    artifactPath = best.Path;
                }
                var target = parse.GetValue(output) ?? Path.GetFileName(artifactPath);
                await c.DownloadArtifactAsync(runId, artifactPath, target, cancellationToken).ConfigureAwait(false);
                console.WriteLine($"{artifactPath} -> {target} ({new FileInfo(target).Length} bytes)");
                return 0;
            }
        );
        return command;
    }

    private static Command Put(IAnsiConsole console, Func<ParseResult, TrackerClient> client)
    {
        var run = new Argument<string>("run") { Description = "Run id." };
        var file = new Argument<string>("file") { Description = "Local file to upload." };
        var path = new Option<string?>("--path") { Description = "Artifact path in the run (default: the file name)." };
        var step = new Option<long?>("--step") { Description = "The step it belongs to." };
        var kind = new Option<string?>("--kind") { Description = "Its kind, e.g. checkpoint." };
        var command = new Command("put", "Upload a file (streamed, SHA-256 verified by the server).") { run, file, path, step, kind };
        command.SetAction(
            async (parse, cancellationToken) =>
            {
                var local = parse.GetValue(file)!;
                string sha;
                await using (var hashing = File.OpenRead(local))
                {
                    sha = Convert.ToHexStringLower(await System.Security.Cryptography.SHA256.HashDataAsync(hashing, cancellationToken).ConfigureAwait(false));
                }
                await using var data = File.OpenRead(local);
                var stored = await client(parse)
                    .PutArtifactAsync(
                        parse.GetValue(run)!,
                        parse.GetValue(path) ?? Path.GetFileName(local),
                        data,
                        parse.GetValue(step),
                        parse.GetValue(kind),
                        sha,
                        cancellationToken
                    )
                    .ConfigureAwait(false);
                console.WriteLine($"{stored.Path}  {stored.Size} bytes  sha256 {stored.Sha256}");
                return 0;
            }
        );
        return command;
    }
}
