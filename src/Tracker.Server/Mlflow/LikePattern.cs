namespace Tracker.Server.Mlflow;

/// <summary>SQL <c>LIKE</c> (<c>%</c> any run of characters, <c>_</c> one character, no escape character, as MLflow's
/// filter) without backtracking: the pattern is split at <c>%</c>; the first piece must match the start, the last the
/// end, and each middle piece is found leftmost after the previous one (leftmost is always right: a later match only
/// leaves less room to the ones after it). Time O(n·m) at worst (pieces holding <c>_</c>), O(n) for pieces without it
/// (vectorized <c>IndexOf</c>); no exponential blow-up, no allocation.</summary>
internal static class LikePattern
{
    /// <summary>Whether <paramref name="value"/> matches <paramref name="pattern"/> (ordinal, or ordinal ignoring case).</summary>
    public static bool Matches(ReadOnlySpan<char> value, ReadOnlySpan<char> pattern, bool ignoreCase)
    {
        var first = pattern.IndexOf('%');
        if (first < 0)
        {
            return value.Length == pattern.Length && MatchesAt(value, pattern, ignoreCase);
        }
        var last = pattern.LastIndexOf('%');
        var head = pattern[..first];
        var tail = pattern[(last + 1)..];
        if (value.Length < head.Length + tail.Length || !MatchesAt(value, head, ignoreCase) || !MatchesAt(value[^tail.Length..], tail, ignoreCase))
        {
            return false;
        }
        var rest = value[head.Length..^tail.Length];
        var pieces = first < last ? pattern[(first + 1)..last] : [];
        while (!pieces.IsEmpty)
        {
            var cut = pieces.IndexOf('%');
            var piece = cut < 0 ? pieces : pieces[..cut];
            pieces = cut < 0 ? [] : pieces[(cut + 1)..];
            if (piece.IsEmpty)
            {
                continue;
            }
            var at = Find(rest, piece, ignoreCase);
            if (at < 0)
            {
                return false;
            }
            rest = rest[(at + piece.Length)..];
        }
        return true;
    }

    /// <summary>The first index of <paramref name="piece"/> (which may hold <c>_</c>) in <paramref name="text"/>, or -1.</summary>
    private static int Find(ReadOnlySpan<char> text, ReadOnlySpan<char> piece, bool ignoreCase)
    {
        if (!piece.Contains('_'))
        {
            return text.IndexOf(piece, ignoreCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal);
        }
        for (var i = 0; i + piece.Length <= text.Length; i++)
        {
            if (MatchesAt(text[i..], piece, ignoreCase))
            {
                return i;
            }
        }
        return -1;
    }

    /// <summary>Whether <paramref name="text"/> starts with <paramref name="piece"/>, <c>_</c> matching any one character.</summary>
    private static bool MatchesAt(ReadOnlySpan<char> text, ReadOnlySpan<char> piece, bool ignoreCase)
    {
        if (text.Length < piece.Length)
        {
            return false;
        }
        for (var i = 0; i < piece.Length; i++)
        {
            var p = piece[i];
            var c = text[i];
            if (p != '_' && p != c && !(ignoreCase && char.ToUpperInvariant(p) == char.ToUpperInvariant(c)))
            {
                return false;
            }
        }
        return true;
    }
}
