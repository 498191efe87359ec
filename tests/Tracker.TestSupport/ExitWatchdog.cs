using System.Diagnostics;

namespace Tracker.TestSupport;

/// <summary>Clean-up that runs after the test process has ended, however it ended: test hosts are often killed, and
/// then neither <c>finally</c> blocks nor <see cref="AppDomain.ProcessExit"/> handlers run.</summary>
public static class ExitWatchdog
{
    /// <summary>Starts a detached shell that waits for this process to end and then runs <paramref name="command"/>
    /// (a POSIX shell command without double quotes or dollar signs).</summary>
    public static void Run(string command)
    {
        if (command.Contains('"') || command.Contains('$'))
        {
            throw new ArgumentException("The command may not hold double quotes or dollar signs.", nameof(command));
        }
        var script = $"while kill -0 {Environment.ProcessId} 2>/dev/null; do sleep 2; done; {command}";
        var psi = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add($"setsid /bin/sh -c \"{script}\" </dev/null >/dev/null 2>&1 &");
        using var p = Process.Start(psi)!;
        p.WaitForExit();
    }

    /// <summary>Deletes <paramref name="folder"/> once this process has ended.</summary>
    public static void RemoveFolder(string folder) => Run($"rm -rf '{folder}'");
}

/// <summary>Temporary folders of this test process, all under one folder that is removed when the process ends.</summary>
public static class TestFolders
{
    private static readonly Lazy<string> Root = new(() =>
    {
        var root = Directory.CreateTempSubdirectory("tracker-tests-").FullName;
        ExitWatchdog.RemoveFolder(root);
        return root;
    });

    /// <summary>Creates an empty folder whose name starts with <paramref name="prefix"/>.</summary>
    public static string Create(string prefix) => Directory.CreateDirectory(Path.Combine(Root.Value, $"{prefix}{Guid.NewGuid():N}")).FullName;
}
