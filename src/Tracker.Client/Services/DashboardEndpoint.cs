namespace Tracker.Client.Services;

/// <summary>Where the dashboard's components reach the REST API and the live hub, and the session they send: in the
/// browser, the page's own origin with the browser's session cookie; on the server (a page interactive over a server
/// circuit), the server's own loopback address with the cookie of the browser that opened the circuit.</summary>
/// <param name="BaseAddress">The origin the API (<c>api/v1/…</c>) and the hub (<c>hubs/runs</c>) are under.</param>
/// <param name="Cookie">The <c>Cookie</c> header to send; null in the browser, whose fetch sends its own.</param>
public sealed record DashboardEndpoint(Uri BaseAddress, string? Cookie = null)
{
    /// <summary>An HTTP client for the API, sending the session when one is set.</summary>
    public HttpClient CreateHttpClient()
    {
        var http = new HttpClient { BaseAddress = BaseAddress };
        if (Cookie is { Length: > 0 })
            http.DefaultRequestHeaders.Add("Cookie", Cookie);
        return http;
    }
}
