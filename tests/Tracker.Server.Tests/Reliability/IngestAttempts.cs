using System.Net;
using Tracker.Sdk.Client;

namespace Tracker.Server.Tests.Reliability;

/// <summary>The SDK's HTTP handler in the reliability tests (under its retry layer, so it sees every attempt): counts the
/// ingest POSTs, those that failed (no answer, or a 5xx), and those the server acknowledged as a duplicate of a batch it
/// had already stored (the answer to a batch whose first acknowledgement was lost).</summary>
internal sealed class IngestAttempts() : DelegatingHandler(TrackerRetry.CreateSocketsHandler())
{
    private int _attempts;
    private int _failed;
    private int _stored;
    private int _duplicates;
    private int _inFlight;
    private int _unavailable;
    private int _serverErrors;

    /// <summary>Ingest POSTs sent.</summary>
    public int Attempts => Volatile.Read(ref _attempts);

    /// <summary>Ingest POSTs without an answer or answered with a 5xx.</summary>
    public int Failed => Volatile.Read(ref _failed);

    /// <summary>Of <see cref="Failed"/>, those answered 503 (the server up, its database not).</summary>
    public int Unavailable => Volatile.Read(ref _unavailable);

    /// <summary>Of <see cref="Failed"/>, those answered with a 5xx other than 503 (a bug: an outage is a 503).</summary>
    public int ServerErrors => Volatile.Read(ref _serverErrors);

    /// <summary>Ingest POSTs acknowledged as stored by this request.</summary>
    public int Stored => Volatile.Read(ref _stored);

    /// <summary>Ingest POSTs acknowledged as duplicates (stored before, by an attempt whose answer was lost).</summary>
    public int Duplicates => Volatile.Read(ref _duplicates);

    /// <summary>Ingest POSTs waiting for their answer now.</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>Re-sends: attempts beyond one per batch the server stored.</summary>
    public int Resent => Attempts - Stored;

    /// <inheritdoc />
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var ingest = request.Method == HttpMethod.Post && request.RequestUri?.OriginalString.EndsWith("/metrics", StringComparison.Ordinal) == true;
        if (!ingest)
            return await base.SendAsync(request, cancellationToken);
        Interlocked.Increment(ref _attempts);
        Interlocked.Increment(ref _inFlight);
        try
        {
            var response = await base.SendAsync(request, cancellationToken);
            if (response.IsSuccessStatusCode)
            {
                await response.Content.LoadIntoBufferAsync(cancellationToken);
                var body = await response.Content.ReadAsStringAsync(cancellationToken);
                if (body.Contains("\"duplicate\":true", StringComparison.Ordinal))
                    Interlocked.Increment(ref _duplicates);
                else
                    Interlocked.Increment(ref _stored);
            }
            else if ((int)response.StatusCode >= 500)
            {
                Interlocked.Increment(ref _failed);
                Interlocked.Increment(ref response.StatusCode == HttpStatusCode.ServiceUnavailable ? ref _unavailable : ref _serverErrors);
            }
            return response;
        }
        catch
        {
            Interlocked.Increment(ref _failed);
            throw;
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }
}
