using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Tracker.TestSupport;

/// <summary>A throwaway PostgreSQL 15 cluster for the test run (or <c>TRACKER_TEST_POSTGRES</c> when set):
/// started once per process as the unprivileged <c>postgres</c> user on a free loopback port, removed at exit.</summary>
public sealed class PostgresCluster : IDisposable
{
    private const string PgBin = "/usr/lib/postgresql/15/bin";
    private static readonly Lazy<PostgresCluster> Shared = new(() => Start(durable: false), LazyThreadSafetyMode.ExecutionAndPublication);
    private readonly string? _dir;
    private readonly string? _data;
    private readonly bool _asRoot;
    private int _stopped;

    private PostgresCluster(string adminConnectionString, string? dir, string? data = null, bool asRoot = false)
    {
        AdminConnectionString = adminConnectionString;
        _dir = dir;
        _data = data;
        _asRoot = asRoot;
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
            throw new InvalidOperationException($"PostgreSQL 15 is not installed at {PgBin}: run 'apt-get install -y postgresql' or set TRACKER_TEST_POSTGRES.");
        }
        var dir = Path.Combine(Path.GetTempPath(), $"tracker-pg-{Environment.ProcessId}-{Guid.NewGuid():N}"[..40]);
        Directory.CreateDirectory(dir);
        File.SetUnixFileMode(dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute |
            UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        var asRoot = Environment.UserName == "root";
        if (asRoot) Run("chown", $"postgres: {dir}", asPostgres: false);
        var port = FreePort();
        var data = Path.Combine(dir, "data");
        Run(Path.Combine(PgBin, "initdb"), $"-D {data} -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 --no-instructions", asRoot);
        Run(Path.Combine(PgBin, "pg_ctl"),
            $"-D {data} -l {dir}/server.log -w -t 60 -o \"-c listen_addresses=127.0.0.1 -p {port} -k {dir} {(durable ? "" : "-c fsync=off -c synchronous_commit=off -c full_page_writes=off ")}-c max_connections=200\" start",
            asRoot);
        var cluster = new PostgresCluster($"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres;Pooling=true;Maximum Pool Size=50", dir, data, asRoot);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => cluster.Dispose();
        return cluster;
    }

    /// <summary>Stops the cluster and removes its files (no-op for an external server).</summary>
    public void Dispose()
    {
        if (_data is null || Interlocked.Exchange(ref _stopped, 1) == 1) return;
        try
        {
            NpgsqlConnection.ClearAllPools();
            Run(Path.Combine(PgBin, "pg_ctl"), $"-D {_data} -m immediate -w stop", _asRoot);
        }
        finally
        {
            if (_dir is not null) Directory.Delete(_dir, recursive: true);
        }
    }

    private static void Run(string file, string args, bool asPostgres)
    {
        var psi = asPostgres
            ? new ProcessStartInfo("runuser", $"-u postgres -- {file} {args}")
            : new ProcessStartInfo(file, args);
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
