namespace Tracker.Server.Ingest;

/// <summary>One series' share of a batch for one rollup bucket.</summary>
internal struct RollupRow
{
    public int KeyId;
    public int Level;
    public long Bucket;
    public long Count;
    public long LastStep;
    public double LastValue;
    public long LastTime;

    /// <summary>False when every value in the bucket is NaN.</summary>
    public bool HasMinMax;
    public double Min;
    public double Max;
}
