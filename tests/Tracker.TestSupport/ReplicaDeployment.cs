using System.Globalization;
using System.Net.Http.Headers;
using Tracker.Sdk.Client;

namespace Tracker.TestSupport;

/// <summary>A scaled deployment on loopback: a database of the throwaway PostgreSQL cluster, a <c>redis-server</c> of its
/// own, server replicas as separate processes (shared <c>ConnectionStrings:Tracker</c> and <c>Tracker:Redis</c>, each its
/// own URL and roles) and <c>nginx</c> round-robin in front of the API replicas.</summary>
public sealed class ReplicaDeployment : IAsyncDisposable
{
    private readonly RedisServer _redis;
    private readonly LoopbackProcess _nginx;

    private ReplicaDeployment(RedisServer redis, IReadOnlyList<ServerReplica> replicas, LoopbackProcess nginx, int balancerPort)
    {
        _redis = redis;
        Replicas = replicas;
        _nginx = nginx;
        BalancerAddress = new Uri($"http://127.0.0.1:{balancerPort}/");
    }

    /// <summary>The replicas, in the order of the roles they were started with.</summary>
    public IReadOnlyList<ServerReplica> Replicas { get; }

    /// <summary>nginx, round-robin over the replicas that have the API role.</summary>
    public Uri BalancerAddress { get; }

    /// <summary>Starts a deployment with one replica per entry of <paramref name="roles"/> (<c>all</c>, <c>api</c>,
    /// <c>worker</c>) and <paramref name="settings"/> (configuration keys, <c>Tracker:Experiments:Lease</c>) for all.</summary>
    public static async Task<ReplicaDeployment> StartAsync(IReadOnlyList<string> roles, IDictionary<string, string>? settings = null)
    {
        var redis = await RedisServer.StartAsync();
        var environment = new Dictionary<string, string>
        {
            ["Tracker__Database__Provider"] = "Postgres",
            ["ConnectionStrings__Tracker"] = PostgresCluster.Instance.CreateDatabase("scale"),
            ["Tracker__Redis"] = redis.Endpoint,
            ["Tracker__AdminKey"] = TrackerServer.AdminKey,
            ["Logging__LogLevel__Default"] = "Warning",
        };
        foreach (var (k, v) in settings ?? new Dictionary<string, string>())
            environment[k.Replace(":", "__", StringComparison.Ordinal)] = v;
        var replicas = roles.Select(r => new ServerReplica(r, environment)).ToList();
        try
        {
            // Replicas that start together take the deployment's migration lock one after another: give the last one room.
            await Task.WhenAll(replicas.Select(r => r.StartAsync(TimeSpan.FromSeconds(60 + 45 * replicas.Count))));
        }
        catch
        {
            foreach (var replica in replicas)
                await replica.DisposeAsync();
            await redis.DisposeAsync();
            throw;
        }
        var port = LoopbackProcess.FreePort();
        var dir = TestFolders.Create("nginx-");
        var upstreams = replicas.Where(r => r.Roles != "worker").Select(r => r.Port).ToList();
        await File.WriteAllTextAsync(Path.Combine(dir, "nginx.conf"), NginxConfig(dir, port, upstreams));
        var nginx = LoopbackProcess.Start(File.Exists("/usr/sbin/nginx") ? "/usr/sbin/nginx" : "nginx", ["-p", dir, "-c", Path.Combine(dir, "nginx.conf")]);
        await nginx.WaitForPortAsync(port, TimeSpan.FromSeconds(10));
        return new ReplicaDeployment(redis, replicas, nginx, port);
    }

    /// <summary>An HTTP client through the balancer.</summary>
    public HttpClient CreateHttpClient(string? apiKey = TrackerServer.AdminKey)
    {
        var client = new HttpClient { BaseAddress = BalancerAddress };
        if (apiKey is not null)
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        return client;
    }

    /// <summary>A typed client through the balancer.</summary>
    public TrackerClient CreateClient(string apiKey = TrackerServer.AdminKey) => new(CreateHttpClient(apiKey));

    /// <summary>The nginx configuration of the tests: the same shape as <c>deploy/nginx.conf</c> of the scaled compose
    /// profile (round-robin for the API, the hub sticky by client address, WebSocket upgrade headers).</summary>
    public static string NginxConfig(string dir, int port, IReadOnlyList<int> upstreams)
    {
        var servers = string.Concat(
            upstreams.Select(p => string.Create(CultureInfo.InvariantCulture, $"    server 127.0.0.1:{p} max_fails=1 fail_timeout=2s;\n"))
        );
        var user = Environment.UserName == "root" ? "user root;\n" : "";
        return $$"""
            daemon off;
            {{user}}worker_processes 1;
            pid {{dir}}/nginx.pid;
            error_log {{dir}}/error.log warn;
            events { worker_connections 1024; }
            http {
              access_log off;
              client_body_temp_path {{dir}}/client_body;
              proxy_temp_path {{dir}}/proxy;
              fastcgi_temp_path {{dir}}/fastcgi;
              uwsgi_temp_path {{dir}}/uwsgi;
              scgi_temp_path {{dir}}/scgi;
              client_max_body_size 16m;
              map $http_upgrade $connection_upgrade { default upgrade; '' close; }
              upstream tracker_api {
            {{servers}}    keepalive 32;
              }
              upstream tracker_hub {
                ip_hash;
            {{servers}}  }
              server {
                listen 127.0.0.1:{{port}};
                # The live hub and the dashboard's server circuits (a first visit's run page): negotiate and the WebSocket
                # that follows must reach the same replica.
                location ~ ^/(hubs/|_blazor) {
                  proxy_pass http://tracker_hub;
                  proxy_http_version 1.1;
                  proxy_set_header Upgrade $http_upgrade;
                  proxy_set_header Connection $connection_upgrade;
                  proxy_set_header Host $host;
                  proxy_read_timeout 1h;
                }
                location / {
                  proxy_pass http://tracker_api;
                  proxy_http_version 1.1;
                  proxy_set_header Connection "";
                  proxy_set_header Host $host;
                  proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
                  proxy_next_upstream error timeout http_502 http_503 non_idempotent;
                  proxy_next_upstream_tries 3;
                  proxy_connect_timeout 2s;
                }
              }
            }
            """;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _nginx.DisposeAsync();
        foreach (var replica in Replicas)
            await replica.DisposeAsync();
        await _redis.DisposeAsync();
    }
}
