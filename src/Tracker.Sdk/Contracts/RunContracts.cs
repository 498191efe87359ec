using System.Text.Json;

namespace Tracker.Sdk.Contracts;

/// <summary>Body of <c>POST /api/v1/projects/{project}/runs</c>.</summary>
/// <param name="Id">A caller-chosen run id (for resumable runs); generated when absent.</param>
/// <param name="Name">Display name; a generated one when absent.</param>
/// <param name="Group">Group that related runs share (a sweep, a k-fold).</param>
/// <param name="Tags">Labels.</param>
/// <param name="Config">Hyper-parameters: a JSON object.</param>
/// <param name="Notes">Free text.</param>
public sealed record CreateRunRequest(
    string? Id = null,
    string? Name = null,
    string? Group = null,
    IReadOnlyList<string>? Tags = null,
    JsonElement? Config = null,
    string? Notes = null
);

/// <summary>Body of <c>PATCH /api/v1/runs/{id}</c>; absent members stay unchanged.</summary>
/// <param name="State">New state; <c>running</c> resumes an ended run.</param>
/// <param name="Name">New display name.</param>
/// <param name="Tags">Replacement tag set.</param>
/// <param name="Notes">New notes.</param>
public sealed record UpdateRunRequest(RunState? State = null, string? Name = null, IReadOnlyList<string>? Tags = null, string? Notes = null);

/// <summary>A run with its configuration and per-series summary.</summary>
/// <param name="Id">Short URL-safe id.</param>
/// <param name="Project">The project's slug.</param>
/// <param name="Name">Display name.</param>
/// <param name="Group">Group, if any.</param>
/// <param name="Tags">Labels.</param>
/// <param name="Notes">Free text.</param>
/// <param name="Config">Hyper-parameters as logged.</param>
/// <param name="State">Lifecycle state.</param>
/// <param name="CreatedAt">Creation time.</param>
/// <param name="UpdatedAt">Last change of any kind.</param>
/// <param name="HeartbeatAt">Last sign of life (ingest or PATCH).</param>
/// <param name="EndedAt">When the run left <c>running</c>, if it has.</param>
/// <param name="Summary">Per metric key: last, min, max, count and their steps.</param>
/// <param name="Verdict">The analyzers' latest verdict (label and advice), once there is one.</param>
/// <param name="StartedAt">When a hosted experiment's run left the queue and began (its latest attempt); null for a run
/// that began when it was created, and for a hosted run still queued.</param>
public sealed record RunDto(
    string Id,
    string Project,
    string Name,
    string? Group,
    IReadOnlyList<string> Tags,
    string? Notes,
    JsonElement? Config,
    RunState State,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset HeartbeatAt,
    DateTimeOffset? EndedAt,
    IReadOnlyDictionary<string, SeriesSummaryDto> Summary,
    RunVerdictDto? Verdict = null,
    DateTimeOffset? StartedAt = null
);

/// <summary>One page of <c>GET /api/v1/projects/{project}/runs</c>.</summary>
/// <param name="Runs">The runs of this page.</param>
/// <param name="NextCursor">Opaque cursor for the next page; null on the last page.</param>
public sealed record RunPage(IReadOnlyList<RunDto> Runs, string? NextCursor);

/// <summary>Something that happened to a run: a state change, later an analysis verdict.</summary>
/// <param name="Id">Ordinal of the event.</param>
/// <param name="Time">When it happened.</param>
/// <param name="Kind">Kind of event, e.g. <c>state</c>.</param>
/// <param name="From">Previous value, if the event is a change.</param>
/// <param name="To">New value, if the event is a change.</param>
/// <param name="Message">Plain-words description.</param>
public sealed record RunEventDto(long Id, DateTimeOffset Time, string Kind, string? From, string? To, string? Message);

/// <summary>Response of <c>GET /api/v1/runs/{id}/events</c>.</summary>
/// <param name="Events">Events, oldest first.</param>
/// <param name="NextCursor">Opaque cursor of the next page (<c>?cursor=</c>); null on the last page.</param>
public sealed record RunEventList(IReadOnlyList<RunEventDto> Events, string? NextCursor = null);
