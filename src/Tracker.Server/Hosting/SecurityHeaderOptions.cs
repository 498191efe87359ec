namespace Tracker.Server.Hosting;

/// <summary>The <c>Tracker:SecurityHeaders</c> section: the headers every response carries (CSP, frame, sniffing,
/// referrer and permissions policies, HSTS over HTTPS).</summary>
public sealed class SecurityHeaderOptions
{
    /// <summary>The dashboard's policy: Blazor WebAssembly needs <c>'wasm-unsafe-eval'</c>, plotly.js inline styles, the
    /// import map the per-request nonce (<c>{nonce}</c> is replaced by it); no <c>'unsafe-eval'</c>, no inline script.</summary>
    public const string DefaultContentSecurityPolicy =
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval' 'nonce-{nonce}'; style-src 'self' 'unsafe-inline'; "
        + "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; worker-src 'self' blob:; object-src 'none'; "
        + "base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    /// <summary>The policy of JSON, health, metrics and hub responses: nothing may load, nothing may frame them.</summary>
    public const string DefaultApiContentSecurityPolicy = "default-src 'none'; frame-ancestors 'none'";

    /// <summary>The policy of the API reference page (<c>/scalar</c>), whose page configures itself in an inline script.</summary>
    public const string DefaultApiReferenceContentSecurityPolicy =
        "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
        + "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'";

    /// <summary>On by default; false sends none of these headers (a reverse proxy then owns them).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The Content-Security-Policy of pages and static files; <c>{nonce}</c> becomes a fresh nonce per request.</summary>
    public string ContentSecurityPolicy { get; set; } = DefaultContentSecurityPolicy;

    /// <summary>The Content-Security-Policy of the API (<c>/api</c>, <c>/ajax-api</c>, hubs, health and metrics).</summary>
    public string ApiContentSecurityPolicy { get; set; } = DefaultApiContentSecurityPolicy;

    /// <summary>The Content-Security-Policy of the API reference page (<c>/scalar</c>).</summary>
    public string ApiReferenceContentSecurityPolicy { get; set; } = DefaultApiReferenceContentSecurityPolicy;

    /// <summary>Sends the page policy as <c>Content-Security-Policy-Report-Only</c> (to try a change without breaking pages).</summary>
    public bool ReportOnly { get; set; }

    /// <summary>The Permissions-Policy header: browser features the dashboard never uses are off.</summary>
    public string PermissionsPolicy { get; set; } =
        "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=()";

    /// <summary>The Referrer-Policy header.</summary>
    public string ReferrerPolicy { get; set; } = "strict-origin-when-cross-origin";

    /// <summary>Strict-Transport-Security max-age sent on HTTPS requests (zero: no HSTS header).</summary>
    public TimeSpan HstsMaxAge { get; set; } = TimeSpan.FromDays(365);
}
