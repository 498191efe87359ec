using Tracker.Sdk.Contracts;

namespace Tracker.Sdk.Client;

/// <summary>Filters, sort and paging of a run listing.</summary>
/// <param name="State">Only runs in this state.</param>
/// <param name="Tag">Only runs with this tag.</param>
/// <param name="Group">Only runs of this group.</param>
/// <param name="Search">Name contains (case-insensitive).</param>
/// <param name="Sort"><c>createdAt</c>, <c>name</c>, <c>state</c> or <c>summary.&lt;key&gt;</c>.</param>
/// <param name="Descending">Sort order.</param>
/// <param name="Limit">Page size.</param>
/// <param name="Cursor">A <see cref="RunPage.NextCursor"/>.</param>
/// <param name="UpdatedSince">Only runs updated at or after this time (created, logged to, edited, state or verdict changed).</param>
public sealed record RunQuery(
    RunState? State = null,
    string? Tag = null,
    string? Group = null,
    string? Search = null,
    string? Sort = null,
    bool? Descending = null,
    int? Limit = null,
    string? Cursor = null,
    DateTimeOffset? UpdatedSince = null
);
