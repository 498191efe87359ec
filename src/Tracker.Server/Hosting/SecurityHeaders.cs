using System.Globalization;
using System.Security.Cryptography;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace Tracker.Server.Hosting;

/// <summary>Adds the security headers of <see cref="SecurityHeaderOptions"/> to every response (set when the response
/// starts, so the exception handler's cleared responses and status-code pages carry them too).</summary>
public static class SecurityHeaders
{
    private const string NonceItem = "Tracker.CspNonce";

    // Paths whose responses are data, not documents: they get the locked-down API policy and no nonce.
    private static readonly string[] ApiPrefixes = ["/api", "/ajax-api", "/hubs", "/healthz", "/readyz", "/metrics", "/openapi"];

    /// <summary>The nonce of this request's Content-Security-Policy (the server-rendered import map carries it), made on
    /// first use; null without a request (interactive rendering, where no script element is rendered).</summary>
    public static string? Nonce(HttpContext? context) => context is null ? null : context.Items[NonceItem] as string ?? NewNonce(context);

    /// <summary>Adds the headers to every response when <c>Tracker:SecurityHeaders:Enabled</c> (the default).</summary>
    public static IApplicationBuilder UseTrackerSecurityHeaders(this IApplicationBuilder app, SecurityHeaderOptions options)
    {
        if (!options.Enabled)
        {
            return app;
        }
        var policy = new CompiledPolicy(options);
        return app.Use(
            (context, next) =>
            {
                context.Response.OnStarting(() => policy.Apply(context));
                return next(context);
            }
        );
    }

    private sealed class CompiledPolicy(SecurityHeaderOptions options)
    {
        private readonly string _cspHeader = options.ReportOnly ? HeaderNames.ContentSecurityPolicyReportOnly : HeaderNames.ContentSecurityPolicy;
        private readonly string[] _pageParts = options.ContentSecurityPolicy.Split("{nonce}");
        private readonly StringValues _apiPolicy = options.ApiContentSecurityPolicy;
        private readonly StringValues _referencePolicy = options.ApiReferenceContentSecurityPolicy;
        private readonly StringValues _permissions = options.PermissionsPolicy;
        private readonly StringValues _referrer = options.ReferrerPolicy;
        private readonly StringValues _hsts =
            options.HstsMaxAge > TimeSpan.Zero
                ? $"max-age={((long)options.HstsMaxAge.TotalSeconds).ToString(CultureInfo.InvariantCulture)}"
                : StringValues.Empty;

        public Task Apply(HttpContext context)
        {
            var headers = context.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = _referrer;
            headers["Permissions-Policy"] = _permissions;
            headers["Cross-Origin-Opener-Policy"] = "same-origin";
            if (context.Request.IsHttps && _hsts.Count > 0)
            {
                headers.StrictTransportSecurity = _hsts;
            }
            if (!headers.ContainsKey(_cspHeader))
            {
                var path = context.Request.Path;
                headers[_cspHeader] =
                    IsApi(path) ? _apiPolicy
                    : path.StartsWithSegments("/scalar", StringComparison.OrdinalIgnoreCase) ? _referencePolicy
                    : PagePolicy(context);
            }
            return Task.CompletedTask;
        }

        private string PagePolicy(HttpContext context)
        {
            if (_pageParts.Length == 1)
            {
                return _pageParts[0];
            }
            return string.Join(Nonce(context), _pageParts);
        }
    }

    private static string NewNonce(HttpContext context)
    {
        Span<byte> bytes = stackalloc byte[16];
        RandomNumberGenerator.Fill(bytes);
        var nonce = Convert.ToBase64String(bytes);
        context.Items[NonceItem] = nonce;
        return nonce;
    }

    private static bool IsApi(PathString path)
    {
        foreach (var prefix in ApiPrefixes)
        {
            if (path.StartsWithSegments(prefix, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }
        return false;
    }
}
