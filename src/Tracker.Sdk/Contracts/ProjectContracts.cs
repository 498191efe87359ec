namespace Tracker.Sdk.Contracts;

/// <summary>Body of <c>POST /api/v1/projects</c>.</summary>
/// <param name="Name">The project's slug: <c>[a-z0-9][a-z0-9-_.]{0,99}</c>.</param>
/// <param name="Description">Free text.</param>
public sealed record CreateProjectRequest(string Name, string? Description = null);

/// <summary>A project with its run count and most recent activity.</summary>
/// <param name="Name">The project's slug.</param>
/// <param name="Description">Free text.</param>
/// <param name="CreatedAt">When the project was created.</param>
/// <param name="RunCount">How many runs the project holds.</param>
/// <param name="LastActivityAt">The latest update of any of its runs.</param>
/// <param name="AnalysisDefaults">The project's analysis defaults (Keras/Lightning names), between the server's and each run's <c>tracker.analysis</c>.</param>
public sealed record ProjectDto(
    string Name,
    string? Description,
    DateTimeOffset CreatedAt,
    int RunCount,
    DateTimeOffset? LastActivityAt,
    System.Text.Json.JsonElement? AnalysisDefaults = null
);

/// <summary>Body of <c>PATCH /api/v1/projects/{project}</c>; absent members stay unchanged.</summary>
/// <param name="Description">New description.</param>
/// <param name="AnalysisDefaults">New analysis defaults for the project's runs, e.g. <c>{"monitor": "val_accuracy", "patience": 10}</c>; <c>{}</c> clears them.</param>
public sealed record UpdateProjectRequest(string? Description = null, System.Text.Json.JsonElement? AnalysisDefaults = null);

/// <summary>Response of <c>GET /api/v1/projects</c>.</summary>
/// <param name="Projects">The projects the key can see, by name (one page: <c>limit</c>, default and at most
/// <c>Tracker:Limits:MaxPageSize</c>).</param>
/// <param name="NextCursor">Opaque cursor of the next page (<c>?cursor=</c>); null on the last page.</param>
public sealed record ProjectList(IReadOnlyList<ProjectDto> Projects, string? NextCursor = null);
