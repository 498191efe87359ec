using Tracker.Sdk.Contracts;

namespace Tracker.Server.Storage.Entities;

/// <summary>One training run.</summary>
internal sealed class RunEntity
{
    public required string Id { get; set; }
    public long ProjectId { get; set; }
    public ProjectEntity? Project { get; set; }
    public required string Name { get; set; }
    public string? Group { get; set; }
    public string? Notes { get; set; }
    public string? ConfigJson { get; set; }
    public RunState State { get; set; }
    public long CreatedMs { get; set; }
    public long UpdatedMs { get; set; }
    public long HeartbeatMs { get; set; }
    public long? EndedMs { get; set; }

    // The analyzers' latest verdict, written when it changes (run tables and the project triage view read it).
    public string? PatternLabel { get; set; }
    public double? PatternConfidence { get; set; }
    public bool ShouldStop { get; set; }
    public string? AdviceReason { get; set; }
    public long? BestStep { get; set; }
    public string? AnalysisJson { get; set; }

    // MLflow's view of the run (see Mlflow/): its key/value tags as a JSON object, user id, soft deletion.
    public string? MlflowTagsJson { get; set; }
    public string? MlflowUserId { get; set; }
    public long? MlflowDeletedMs { get; set; }
    public List<RunTagEntity> Tags { get; set; } = [];
    public List<MetricSeriesEntity> Series { get; set; } = [];
}
