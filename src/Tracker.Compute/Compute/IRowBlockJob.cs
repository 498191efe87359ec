namespace Tracker.Compute.Compute;

/// <summary>A job over a range of rows, run by one member of a <see cref="WorkerTeam"/>.</summary>
internal interface IRowBlockJob
{
    /// <summary>Processes rows [start, end) as block <paramref name="block"/>.</summary>
    void Execute(int block, int start, int end);
}
