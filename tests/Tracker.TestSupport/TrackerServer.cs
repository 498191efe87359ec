using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Tracker.Sdk.Client;

namespace Tracker.TestSupport;

/// <summary>The real server (full pipeline, Kestrel on 127.0.0.1) over a fresh database of either kind.</summary>
public sealed class TrackerServer : IAsyncDisposable
{
    /// <summary>The admin key every test server is configured with.</summary>
    public const string AdminKey = "trk_test_admin_key_0123456789";

    private WebApplicationFactory<Program> _factory;
    private readonly Dictionary<string, string?> _settings;
    private readonly string _environment;

    private TrackerServer(StoreKind kind, string connectionString, string dataDir, Dictionary<string, string?> settings, string environment)
    {
        Kind = kind;
        ConnectionString = connectionString;
        DataDir = dataDir;
        _settings = settings;
        _environment = environment;
        _factory = Build();
    }

    /// <summary>The store kind.</summary>
    public StoreKind Kind { get; }

    /// <summary>The database's connection string.</summary>
    public string ConnectionString { get; }

    /// <summary>The server's data directory.</summary>
    public string DataDir { get; }

    /// <summary>The server's base address (http://127.0.0.1:port/).</summary>
    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>Services of the running host.</summary>
    public IServiceProvider Services => _factory.Services;

    /// <summary>Starts a server on a new, empty database.</summary>
    /// <param name="kind">The store.</param>
    /// <param name="extraSettings">Configuration added to (or replacing) the test defaults.</param>
    /// <param name="environment">The host environment; browser tests pass <c>Development</c>, the only environment in
    /// which static web assets (the dashboard's WebAssembly files, plotly.js) are served from the build output.</param>
    public static TrackerServer Start(StoreKind kind, IDictionary<string, string?>? extraSettings = null, string environment = "Testing")
    {
        var dataDir = TestFolders.Create("server-");
        var connectionString = kind == StoreKind.Postgres ? PostgresCluster.Instance.CreateDatabase() : $"Data Source={Path.Combine(dataDir, "tracker.db")}";
        var settings = new Dictionary<string, string?>
        {
            ["Tracker:Database:Provider"] = kind.ToString(),
            ["ConnectionStrings:Tracker"] = connectionString,
            ["Tracker:DataDir"] = dataDir,
            ["Tracker:AdminKey"] = AdminKey,
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (k, v) in extraSettings ?? new Dictionary<string, string?>())
            settings[k] = v;
        return new TrackerServer(kind, connectionString, dataDir, settings, environment);
    }

    /// <summary>Starts another server (a replica) on this server's database, with <paramref name="changes"/> applied to a
    /// copy of its settings (a null value removes one) and a data directory of its own.</summary>
    public TrackerServer StartReplica(IDictionary<string, string?>? changes = null)
    {
        var dataDir = TestFolders.Create("replica-");
        var settings = new Dictionary<string, string?>(_settings) { ["Tracker:DataDir"] = dataDir };
        foreach (var (k, v) in changes ?? new Dictionary<string, string?>())
        {
            if (v is null)
                settings.Remove(k);
            else
                settings[k] = v;
        }
        return new TrackerServer(Kind, ConnectionString, dataDir, settings, _environment);
    }

    /// <summary>An HTTP client with <paramref name="apiKey"/> (the admin key by default; null for none).</summary>
    public HttpClient CreateHttpClient(string? apiKey = AdminKey)
    {
        var client = new HttpClient { BaseAddress = BaseAddress };
        if (apiKey is not null)
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        return client;
    }

    /// <summary>A typed client with <paramref name="apiKey"/>.</summary>
    public TrackerClient CreateClient(string apiKey = AdminKey) => new(CreateHttpClient(apiKey));

    /// <summary>Stops the server and starts a new one on the same database; on the same port when <paramref name="keepPort"/>.</summary>
    public async Task RestartAsync(bool keepPort = false)
    {
        await _factory.DisposeAsync();
        _factory = Build(keepPort ? BaseAddress.Port : 0);
    }

    /// <summary>Stops the server and starts a new one on the same database with <paramref name="changes"/> applied to its
    /// settings (a null value removes a setting).</summary>
    public async Task RestartAsync(IDictionary<string, string?> changes)
    {
        foreach (var (k, v) in changes)
        {
            if (v is null)
                _settings.Remove(k);
            else
                _settings[k] = v;
        }
        await RestartAsync();
    }

    /// <summary>Starts the server again after <see cref="StopAsync"/>, on the same database and the same port, so clients keep their address.</summary>
    public void StartAgain() => _factory = Build(BaseAddress.Port);

    /// <summary>Stops the server; the database stays until <see cref="DisposeAsync"/>.</summary>
    public async Task StopAsync() => await _factory.DisposeAsync();

    private WebApplicationFactory<Program> Build(int port = 0)
    {
        var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            foreach (var (k, v) in _settings)
                b.UseSetting(k, v);
            b.UseSetting("urls", $"http://127.0.0.1:{port}");
            b.UseEnvironment(_environment);
        });
        factory.UseKestrel();
        factory.StartServer();
        var address = factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseAddress = new Uri(address.EndsWith('/') ? address : address + "/");
        return factory;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _factory.DisposeAsync();
        try
        {
            Directory.Delete(DataDir, recursive: true);
        }
        catch (IOException) { }
    }
}
