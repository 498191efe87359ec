namespace Tracker.Server.Storage.Entities;

/// <summary>A project: a namespace of runs.</summary>
internal sealed class ProjectEntity
{
    public long Id { get; set; }
    public required string Name { get; set; }
    public string? Description { get; set; }
    public long CreatedMs { get; set; }

    /// <summary>Analysis defaults of the project's runs (a <c>tracker.analysis</c>-shaped JSON object).</summary>
    public string? AnalysisDefaultsJson { get; set; }

    // MLflow's view of the project as an experiment (see Mlflow/): its original name when that is not the slug,
    // its tags as a JSON object, when it was last changed and when it was deleted (restorable).
    public string? MlflowName { get; set; }
    public string? MlflowTagsJson { get; set; }
    public long? MlflowUpdatedMs { get; set; }
    public long? MlflowDeletedMs { get; set; }
    public List<RunEntity> Runs { get; set; } = [];
}
