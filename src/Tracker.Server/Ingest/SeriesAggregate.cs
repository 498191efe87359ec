namespace Tracker.Server.Ingest;

/// <summary>One series' share of a batch: what its summary row must absorb.</summary>
internal struct SeriesAggregate
{
    public int KeyId;
    public long Count;
    public long FirstStep;
    public long LastStep;
    public double LastValue;
    public long LastTime;

    /// <summary>False when every value of the batch for this key is NaN.</summary>
    public bool HasMinMax;
    public double Min;
    public long MinStep;
    public double Max;
    public long MaxStep;
}
