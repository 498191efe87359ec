namespace Tracker.Server.Mlflow;

/// <summary>MLflow's <c>ViewType</c>: ACTIVE_ONLY (the default), DELETED_ONLY or ALL.</summary>
internal readonly record struct MlflowViewType(bool Active, bool Deleted)
{
    public static MlflowViewType Parse(string? text) =>
        text?.ToUpperInvariant() switch
        {
            null or "" or "ACTIVE_ONLY" or "1" => new(true, false),
            "DELETED_ONLY" or "2" => new(false, true),
            "ALL" or "3" => new(true, true),
            _ => throw MlflowException.Invalid($"Invalid view type '{text}'; use ACTIVE_ONLY, DELETED_ONLY or ALL."),
        };

    public bool Includes(bool deleted) => deleted ? Deleted : Active;
}
