namespace Tracker.Server.Mlflow;

/// <summary>One <c>order_by</c> clause: <c>"metrics.val_loss ASC"</c>, <c>"name"</c>, <c>"`params`.`lr` desc"</c>.</summary>
internal static class MlflowOrderBy
{
    /// <summary>The key (entity.key, quotes removed) and the direction.</summary>
    public static (string Key, bool Ascending) Parse(string clause)
    {
        var text = clause.Trim();
        var ascending = true;
        if (text.EndsWith(" DESC", StringComparison.OrdinalIgnoreCase))
        {
            ascending = false;
            text = text[..^5].TrimEnd();
        }
        else if (text.EndsWith(" ASC", StringComparison.OrdinalIgnoreCase))
        {
            text = text[..^4].TrimEnd();
        }
        text = text.Replace("`", "", StringComparison.Ordinal).Replace("\"", "", StringComparison.Ordinal);
        if (text.Length == 0)
            throw MlflowException.Invalid($"Invalid order_by clause '{clause}'.");
        return (text, ascending);
    }
}
