using System.Net;

namespace Tracker.Sdk.Client;

/// <summary>A non-success answer of the Tracker API, with the server's problem detail.</summary>
public sealed class TrackerApiException : Exception
{
    /// <summary>Creates the exception from a status and the problem's text.</summary>
    public TrackerApiException(HttpStatusCode status, string? title, string? detail)
        : base($"Tracker API {(int)status} {title}: {detail}")
    {
        StatusCode = status;
        Title = title;
        Detail = detail;
    }

    /// <summary>The HTTP status.</summary>
    public HttpStatusCode StatusCode { get; }

    /// <summary>The problem's title.</summary>
    public string? Title { get; }

    /// <summary>The problem's detail: what is wrong and which field.</summary>
    public string? Detail { get; }

    /// <summary>A validation problem's messages by field (the body's <c>errors</c>), or null when the answer had none.</summary>
    public IReadOnlyDictionary<string, string[]>? Errors { get; init; }

    /// <summary>How long the server asked to wait before trying again (<c>Retry-After</c> on a 429 or 503), bounded by <see cref="TrackerRetry.MaxRetryAfter"/>.</summary>
    public TimeSpan? RetryAfter { get; init; }
}
