namespace Tracker.Server.Storage.Entities;

/// <summary>A queued or running hosted experiment: the durable job a worker claims.</summary>
internal sealed class ExperimentJobEntity
{
    public long Id { get; set; }
    public required string RunId { get; set; }
    public required string SpecJson { get; set; }
    public required string State { get; set; }
    public int Attempts { get; set; }
    public bool CancelRequested { get; set; }
    public long CreatedMs { get; set; }
    public long? StartedMs { get; set; }
    public long? FinishedMs { get; set; }
    public string? LeaseOwner { get; set; }
    public long? LeaseUntilMs { get; set; }
    public string? Error { get; set; }
}
