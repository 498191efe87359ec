namespace Tracker.Server.Hosting;

/// <summary>The <c>Tracker:Limits</c> section: bounds on what one run may hold and one page may return. A request past a
/// limit is answered 400 problem+json naming the field (MLflow's paths: <c>INVALID_PARAMETER_VALUE</c>).</summary>
public sealed class LimitOptions
{
    /// <summary>Largest run config (hyper-parameters), in bytes of its JSON text.</summary>
    public int MaxConfigBytes { get; set; } = 256 * 1024;

    /// <summary>Most metric series (distinct keys) in one run.</summary>
    public int MaxSeriesPerRun { get; set; } = 10_000;

    /// <summary>Most tags on one run.</summary>
    public int MaxTags { get; set; } = 100;

    /// <summary>Longest tag, in characters.</summary>
    public int MaxTagLength { get; set; } = 100;

    /// <summary>Longest run name, in characters.</summary>
    public int MaxRunNameLength { get; set; } = 200;

    /// <summary>Longest run notes, in characters.</summary>
    public int MaxNotesLength { get; set; } = 100_000;

    /// <summary>Largest <c>limit</c> of a paged list (<c>GET /api/v1/projects/{project}/runs</c>).</summary>
    public int MaxPageSize { get; set; } = 1000;
}
