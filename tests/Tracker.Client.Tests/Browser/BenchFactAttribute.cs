namespace Tracker.Client.Tests.Browser;

/// <summary>A benchmark that runs only when <c>TRACKER_DASHBOARD_BENCH=1</c> (it takes minutes and prints figures).</summary>
public sealed class BenchFactAttribute : FactAttribute
{
    public BenchFactAttribute()
    {
        if (Environment.GetEnvironmentVariable("TRACKER_DASHBOARD_BENCH") != "1")
        {
            Skip = "Set TRACKER_DASHBOARD_BENCH=1 to run the dashboard benchmarks.";
        }
    }
}
