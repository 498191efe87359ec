namespace Tracker.Server.Storage.Entities;

/// <summary>A project: a namespace of runs.</summary>
internal sealed class ProjectEntity
{
    public long Id { get; set; }
    public required string Name { get; set; }
    public string? Description { get; set; }
    public long CreatedMs { get; set; }
    public List<RunEntity> Runs { get; set; } = [];
}
