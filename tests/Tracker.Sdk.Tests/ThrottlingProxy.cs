using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Tracker.Sdk.Tests;

/// <summary>
/// A small Kestrel server on 127.0.0.1 in front of the real one: the first <c>refusals</c> requests that match a rule are
/// answered with a status and a <c>Retry-After</c> header; every other request is forwarded as it is.
/// </summary>
internal sealed class ThrottlingProxy : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly HttpClient _upstream;
    private readonly Func<HttpRequest, bool> _rule;
    private readonly int _refusals;
    private readonly HttpStatusCode _status;
    private readonly string _retryAfter;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private int _matched;

    private ThrottlingProxy(Uri upstream, Func<HttpRequest, bool> rule, int refusals, HttpStatusCode status, string retryAfter)
    {
        _upstream = new HttpClient { BaseAddress = upstream };
        _rule = rule;
        _refusals = refusals;
        _status = status;
        _retryAfter = retryAfter;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _app = builder.Build();
        _app.Run(HandleAsync);
    }

    /// <summary>The proxy's address.</summary>
    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>When each matching request arrived (since the proxy started) and what it was answered.</summary>
    public ConcurrentQueue<(TimeSpan At, HttpStatusCode Status)> Matched { get; } = new();

    /// <summary>Starts a proxy to <paramref name="upstream"/>.</summary>
    public static async Task<ThrottlingProxy> StartAsync(Uri upstream, Func<HttpRequest, bool> rule, int refusals, HttpStatusCode status, string retryAfter)
    {
        var proxy = new ThrottlingProxy(upstream, rule, refusals, status, retryAfter);
        await proxy._app.StartAsync();
        var address = proxy._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        proxy.BaseAddress = new Uri(address.TrimEnd('/') + "/");
        return proxy;
    }

    /// <summary>The gaps between consecutive matching requests.</summary>
    public List<TimeSpan> Gaps()
    {
        var times = Matched.Select(m => m.At).Order().ToList();
        return [.. times.Zip(times.Skip(1), (a, b) => b - a)];
    }

    private async Task HandleAsync(HttpContext context)
    {
        if (_rule(context.Request))
        {
            var n = Interlocked.Increment(ref _matched);
            var refuse = n <= _refusals;
            Matched.Enqueue((_clock.Elapsed, refuse ? _status : HttpStatusCode.OK));
            if (refuse)
            {
                context.Response.StatusCode = (int)_status;
                context.Response.Headers.RetryAfter = _retryAfter;
                return;
            }
        }
        using var request = new HttpRequestMessage(
            new HttpMethod(context.Request.Method),
            new Uri(context.Request.Path.Value!.TrimStart('/') + context.Request.QueryString, UriKind.Relative)
        );
        if (context.Request.ContentLength > 0 || context.Request.Headers.TransferEncoding.Count > 0)
        {
            var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            request.Content = new ByteArrayContent(body.ToArray());
            if (context.Request.ContentType is { } type)
                request.Content.Headers.TryAddWithoutValidation("Content-Type", type);
        }
        if (context.Request.Headers.Authorization.Count > 0)
            request.Headers.TryAddWithoutValidation("Authorization", context.Request.Headers.Authorization.ToString());
        using var response = await _upstream.SendAsync(request, context.RequestAborted);
        context.Response.StatusCode = (int)response.StatusCode;
        if (response.Content.Headers.ContentType is { } contentType)
            context.Response.ContentType = contentType.ToString();
        await response.Content.CopyToAsync(context.Response.Body);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        _upstream.Dispose();
    }
}
