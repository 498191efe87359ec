namespace Tracker.Compute.Experiments;

/// <summary>Receives an experiment's metric points (the server forwards them to its ingest path).</summary>
public interface IMetricSink
{
    /// <summary>Records <paramref name="value"/> for <paramref name="key"/> at <paramref name="step"/>.</summary>
    void Log(long step, string key, double value);
}
