using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Tracker.TestSupport;

/// <summary>A throwaway PostgreSQL 15 cluster for the test run (or <c>TRACKER_TEST_POSTGRES</c> when set):
/// started once per process as the unprivileged <c>postgres</c> user on a free loopback port, removed at exit — by the
/// process itself, or by a detached watchdog when the process is killed first (test hosts are), so no run leaves a
/// cluster behind in the temporary folder.</summary>
public sealed class PostgresCluster : IDisposable
{
    private const string PgBin = "/usr/lib/postgresql/15/bin";
    private const string DirPrefix = "tracker-pg-";

    // Nothing here has to survive a crash, and WAL is kept small: the test databases go with the cluster.
    private const string ThrowawaySettings =
        "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c wal_level=minimal -c max_wal_senders=0 -c max_wal_size=128MB ";
    private static readonly Lazy<PostgresCluster> Shared = new(() => Start(durable: false), LazyThreadSafetyMode.ExecutionAndPublication);
    private readonly string? _dir;
    private readonly string? _data;
    private readonly bool _asRoot;
    private readonly string? _startArgs;
    private int _stopped;
    private bool _paused;

    private PostgresCluster(string adminConnectionString, string? dir, string? data = null, bool asRoot = false, string? startArgs = null)
    {
        AdminConnectionString = adminConnectionString;
        _dir = dir;
        _data = data;
        _asRoot = asRoot;
        _startArgs = startArgs;
    }

    /// <summary>A cluster of its own (for benchmarks): <paramref name="durable"/> keeps fsync and synchronous commit on.</summary>
    public static PostgresCluster StartDedicated(bool durable) => Start(durable);

    /// <summary>The cluster of this test process.</summary>
    public static PostgresCluster Instance => Shared.Value;

    /// <summary>Connection string to the <c>postgres</c> maintenance database.</summary>
    public string AdminConnectionString { get; }

    /// <summary>Creates an empty database and returns its connection string.</summary>
    public string CreateDatabase(string prefix = "t")
    {
        var name = $"{prefix}_{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 25, 60)];
        using (var conn = new NpgsqlConnection(AdminConnectionString))
        {
            conn.Open();
            using var cmd = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", conn);
            cmd.ExecuteNonQuery();
        }
        return new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = name }.ToString();
    }

    private static PostgresCluster Start(bool durable)
    {
        if (Environment.GetEnvironmentVariable("TRACKER_TEST_POSTGRES") is { Length: > 0 } external)
        {
            return new PostgresCluster(external, null);
        }
        if (!File.Exists(Path.Combine(PgBin, "initdb")))
        {
            throw new InvalidOperationException(
                $"PostgreSQL 15 is not installed at {PgBin}: run 'apt-get install -y postgresql' or set TRACKER_TEST_POSTGRES."
            );
        }
        RemoveOrphans();
        var dir = Path.Combine(Path.GetTempPath(), $"{DirPrefix}{Environment.ProcessId}-{Guid.NewGuid():N}"[..40]);
        Directory.CreateDirectory(dir);
        File.SetUnixFileMode(
            dir,
            UnixFileMode.UserRead
                | UnixFileMode.UserWrite
                | UnixFileMode.UserExecute
                | UnixFileMode.GroupRead
                | UnixFileMode.GroupExecute
                | UnixFileMode.OtherRead
                | UnixFileMode.OtherExecute
        );
        var asRoot = Environment.UserName == "root";
        if (asRoot)
            Run("chown", $"postgres: {dir}", asPostgres: false);
        var port = FreePort();
        var data = Path.Combine(dir, "data");
        Run(Path.Combine(PgBin, "initdb"), $"-D {data} -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 --no-instructions", asRoot);
        var startArgs =
            $"-D {data} -l {dir}/server.log -w -t 60 -o \"-c listen_addresses=127.0.0.1 -p {port} -k {dir} {(durable ? "" : ThrowawaySettings)}-c max_connections=200\" start";
        Run(Path.Combine(PgBin, "pg_ctl"), startArgs, asRoot);
        ExitWatchdog.Run($"{(asRoot ? "runuser -u postgres -- " : "")}{PgBin}/pg_ctl -D '{data}' -m immediate -w stop; rm -rf '{dir}'");
        var cluster = new PostgresCluster(
            $"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres;Pooling=true;Maximum Pool Size=50",
            dir,
            data,
            asRoot,
            startArgs
        );
        AppDomain.CurrentDomain.ProcessExit += (_, _) => cluster.Dispose();
        return cluster;
    }

    /// <summary>Stops the server process as a crash would (<c>-m immediate</c>), keeping the data, so that tests can see
    /// what clients get during an outage; <see cref="Resume"/> starts it again on the same port. Only for a dedicated
    /// cluster (<see cref="StartDedicated"/>): the shared one serves other test classes at the same time.</summary>
    public void Pause()
    {
        if (_data is null || _startArgs is null)
            throw new InvalidOperationException("An external cluster cannot be paused.");
        Run(Path.Combine(PgBin, "pg_ctl"), $"-D {_data} -m immediate -w stop", _asRoot);
        _paused = true;
    }

    /// <summary>Starts the cluster again after <see cref="Pause"/> (crash recovery runs first).</summary>
    public void Resume()
    {
        if (_data is null || _startArgs is null)
            throw new InvalidOperationException("An external cluster cannot be resumed.");
        Run(Path.Combine(PgBin, "pg_ctl"), _startArgs, _asRoot);
        _paused = false;
    }

    /// <summary>Stops the cluster and removes its files (no-op for an external server).</summary>
    public void Dispose()
    {
        if (_data is null || Interlocked.Exchange(ref _stopped, 1) == 1)
            return;
        try
        {
            NpgsqlConnection.ClearAllPools();
            if (!_paused)
                Run(Path.Combine(PgBin, "pg_ctl"), $"-D {_data} -m immediate -w stop", _asRoot);
        }
        finally
        {
            if (_dir is not null)
                Directory.Delete(_dir, recursive: true);
        }
    }

    /// <summary>Stops and deletes clusters left by processes that no longer run (killed before any clean-up ran).</summary>
    private static void RemoveOrphans()
    {
        foreach (var dir in Directory.EnumerateDirectories(Path.GetTempPath(), DirPrefix + "*"))
        {
            var rest = Path.GetFileName(dir)[DirPrefix.Length..];
            var dash = rest.IndexOf('-');
            if (dash <= 0 || !int.TryParse(rest[..dash], out var pid) || IsAlive(pid))
                continue;
            try
            {
                var data = Path.Combine(dir, "data");
                if (File.Exists(Path.Combine(data, "postmaster.pid")))
                {
                    try
                    {
                        Run(Path.Combine(PgBin, "pg_ctl"), $"-D {data} -m immediate -w stop", Environment.UserName == "root");
                    }
                    catch (InvalidOperationException)
                    { /* not running: its pid file is stale */
                    }
                }
                Directory.Delete(dir, recursive: true);
            }
            catch (IOException)
            { /* another test process is removing it */
            }
            catch (UnauthorizedAccessException)
            { /* someone else's */
            }
        }
    }

    private static bool IsAlive(int pid)
    {
        try
        {
            using var p = Process.GetProcessById(pid);
            return !p.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static void Run(string file, string args, bool asPostgres)
    {
        var psi = asPostgres ? new ProcessStartInfo("runuser", $"-u postgres -- {file} {args}") : new ProcessStartInfo(file, args);
        psi.RedirectStandardOutput = true;
        psi.RedirectStandardError = true;
        psi.UseShellExecute = false;
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {args} failed ({p.ExitCode}): {stderr} {stdout.Result}");
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
