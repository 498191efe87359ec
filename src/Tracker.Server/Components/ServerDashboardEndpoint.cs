using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Tracker.Client.Services;

namespace Tracker.Server.Components;

/// <summary>The <see cref="DashboardEndpoint"/> of a page rendered on the server: this server's own loopback address and
/// the browser's session cookie, so a page that is interactive over a server circuit (a browser's first visit, before the
/// WebAssembly runtime is cached) reads the API and the hub as the browser would, under the same key, scope and project
/// binding, and loses access the moment the session ends.</summary>
internal static class ServerDashboardEndpoint
{
    /// <summary>The endpoint for the current request or circuit (whose connection's request carries the cookie).</summary>
    public static DashboardEndpoint Create(IServiceProvider services)
    {
        var http = services.GetRequiredService<IHttpContextAccessor>().HttpContext;
        var cookie = http?.Request.Headers.Cookie.ToString();
        var configured = services.GetRequiredService<IConfiguration>()["Tracker:InternalUrl"];
        var address = configured is { Length: > 0 }
            ? new Uri(configured)
            : Loopback(services.GetService<IServer>()?.Features.Get<IServerAddressesFeature>()?.Addresses)
                ?? (http is not null ? new Uri($"{http.Request.Scheme}://{http.Request.Host}{http.Request.PathBase}/") : new Uri("http://localhost/"));
        return new DashboardEndpoint(address, string.IsNullOrEmpty(cookie) ? null : cookie);
    }

    /// <summary>A loopback URL of one of the addresses Kestrel listens on (plain HTTP first), or null when none is known (a
    /// test server).</summary>
    internal static Uri? Loopback(ICollection<string>? addresses)
    {
        if (addresses is null || addresses.Count == 0)
            return null;
        var chosen = addresses.FirstOrDefault(a => a.StartsWith("http://", StringComparison.OrdinalIgnoreCase)) ?? addresses.First();
        // Kestrel reports wildcard bindings as written ("http://+:80", "http://*:80", "http://0.0.0.0:80", "http://[::]:80").
        // A wildcard becomes a loopback address: 127.0.0.1 over plain HTTP, and "localhost" over HTTPS, the name a
        // development certificate is valid for.
        var uri = new Uri(chosen.Replace("://+", "://0.0.0.0").Replace("://*", "://0.0.0.0"));
        var wildcard = uri.Host is "0.0.0.0" or "[::]" or "::";
        var host =
            !wildcard ? uri.Host
            : uri.Scheme == Uri.UriSchemeHttps ? "localhost"
            : "127.0.0.1";
        return new UriBuilder(uri) { Host = host, Path = "/" }.Uri;
    }
}
