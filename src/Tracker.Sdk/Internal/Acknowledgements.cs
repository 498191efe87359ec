using Tracker.Sdk.Contracts;

namespace Tracker.Sdk.Internal;

/// <summary>What the server acknowledged: the count of stored points and the advice its answers carry.</summary>
internal sealed class Acknowledgements
{
    private long _sentPoints;

    /// <summary>Raised on a send loop when an acknowledgement (or the offline advisor) carries advice.</summary>
    public event Action<AdviceDto>? AdviceReceived;

    /// <summary>Points acknowledged by the server.</summary>
    public long SentPoints => Interlocked.Read(ref _sentPoints);

    /// <summary>Counts a stored batch (not when the server says it is a duplicate) and passes on its advice.</summary>
    public void Stored(LogMetricsResponse? ack, int points)
    {
        Interlocked.Add(ref _sentPoints, ack is { Duplicate: true } ? 0 : points);
        if (ack?.Advice is { } advice)
            AdviceReceived?.Invoke(advice);
    }

    /// <summary>Passes on advice computed without the server.</summary>
    public void Advise(AdviceDto advice) => AdviceReceived?.Invoke(advice);
}
