namespace Tracker.Server.Queries;

/// <summary>An output bucket of a sampled history being merged from rollup rows and raw points.</summary>
internal struct Bucket
{
    public long Count;
    public long LastStep;
    public double LastValue;
    public long LastTime;
    public bool HasMinMax;
    public double Min;
    public double Max;

    /// <summary>Absorbs a pre-aggregated piece (a rollup row or a single point).</summary>
    public void Add(long count, long lastStep, double lastValue, long lastTime, double? min, double? max)
    {
        if (Count == 0 || lastStep >= LastStep)
        {
            LastStep = lastStep;
            LastValue = lastValue;
            LastTime = lastTime;
        }
        Count += count;
        if (min is { } lo && max is { } hi)
        {
            if (!HasMinMax)
            {
                HasMinMax = true;
                Min = lo;
                Max = hi;
            }
            else
            {
                Min = Math.Min(Min, lo);
                Max = Math.Max(Max, hi);
            }
        }
    }
}
