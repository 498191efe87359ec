using System.Globalization;
using System.Text;

namespace Tracker.Server.Mlflow;

/// <summary>One comparison of an MLflow search filter: <c>metrics.loss &lt; 0.5</c>, <c>tags."a b" LIKE 'x%'</c>,
/// <c>attributes.run_id IN ('a', 'b')</c>.</summary>
internal sealed record MlflowClause(string Entity, string Key, string Op, string? Text, double? Number, IReadOnlyList<string>? List)
{
    public bool IsNumericOp => Op is ">" or ">=" or "<" or "<=";

    /// <summary>Compares a string field (param, tag, string attribute) with =, !=, LIKE, ILIKE, IN, NOT IN.</summary>
    public bool Matches(string? value)
    {
        if (value is null)
            return false;
        return Op switch
        {
            "=" => value == (Text ?? Number?.ToString(CultureInfo.InvariantCulture)),
            "!=" => value != (Text ?? Number?.ToString(CultureInfo.InvariantCulture)),
            "LIKE" => LikePattern.Matches(value, Text, ignoreCase: false),
            "ILIKE" => LikePattern.Matches(value, Text, ignoreCase: true),
            "IN" => List!.Contains(value, StringComparer.Ordinal),
            "NOT IN" => !List!.Contains(value, StringComparer.Ordinal),
            _ => throw MlflowException.Invalid($"Invalid comparator '{Op}' for a string field; use =, !=, LIKE or ILIKE."),
        };
    }

    /// <summary>Compares a numeric field (a metric's latest value, a time attribute).</summary>
    public bool Matches(double? value)
    {
        if (value is not { } v || Number is not { } n)
            return false;
        return Op switch
        {
            "=" => v == n,
            "!=" => v != n,
            ">" => v > n,
            ">=" => v >= n,
            "<" => v < n,
            "<=" => v <= n,
            _ => throw MlflowException.Invalid($"Invalid comparator '{Op}' for a numeric field; use =, !=, >, >=, <, <=."),
        };
    }
}

/// <summary>Parses MLflow's search filter grammar: comparisons joined by <c>AND</c>. Identifiers are
/// <c>entity.key</c> with entity metrics/params/tags/attributes (singular too) and the key bare or quoted with
/// double quotes or backticks; a bare name is an attribute. Values are 'strings', "strings", numbers or
/// ('lists', ...) for IN.</summary>
internal static class MlflowFilter
{
    public static IReadOnlyList<MlflowClause> Parse(string? filter)
    {
        if (string.IsNullOrWhiteSpace(filter))
            return [];
        var clauses = new List<MlflowClause>();
        var pos = 0;
        while (true)
        {
            clauses.Add(ParseClause(filter, ref pos));
            SkipSpace(filter, ref pos);
            if (pos >= filter.Length)
                return clauses;
            var word = ReadWord(filter, ref pos);
            if (!word.Equals("and", StringComparison.OrdinalIgnoreCase))
            {
                throw MlflowException.Invalid($"Invalid clause(s) in filter string: '{word}'; only AND is supported between comparisons.");
            }
        }
    }

    private static MlflowClause ParseClause(string s, ref int pos)
    {
        SkipSpace(s, ref pos);
        var first = ReadIdentifierPart(s, ref pos);
        string entity,
            key;
        if (pos < s.Length && s[pos] == '.')
        {
            pos++;
            entity = NormalizeEntity(first);
            key = ReadIdentifierPart(s, ref pos, restOfKey: true);
        }
        else
        {
            entity = "attribute";
            key = first;
        }
        if (key.Length == 0)
            throw MlflowException.Invalid($"Invalid filter string '{s}': missing key after '{first}.'");
        SkipSpace(s, ref pos);
        var op = ReadOperator(s, ref pos);
        SkipSpace(s, ref pos);
        if (op is "IN" or "NOT IN")
        {
            return new MlflowClause(entity, key, op, null, null, ReadList(s, ref pos));
        }
        var (text, number) = ReadValue(s, ref pos);
        if (op is "LIKE" or "ILIKE" && text is null)
        {
            throw MlflowException.Invalid($"Invalid filter string '{s}': {op} needs a quoted string.");
        }
        return new MlflowClause(entity, key, op, text, number, null);
    }

    private static string NormalizeEntity(string word) =>
        word.ToLowerInvariant() switch
        {
            "metric" or "metrics" => "metric",
            "param" or "params" or "parameter" or "parameters" => "param",
            "tag" or "tags" => "tag",
            "attribute" or "attributes" or "attr" or "run" => "attribute",
            _ => throw MlflowException.Invalid($"Invalid entity type '{word}'. Valid values are ['metric', 'parameter', 'tag', 'attribute']"),
        };

    private static string ReadIdentifierPart(string s, ref int pos, bool restOfKey = false)
    {
        if (pos < s.Length && s[pos] is '"' or '`')
        {
            var quote = s[pos++];
            var end = s.IndexOf(quote, pos);
            if (end < 0)
                throw MlflowException.Invalid($"Invalid filter string '{s}': unterminated quoted identifier.");
            var quoted = s[pos..end];
            pos = end + 1;
            return quoted;
        }
        var start = pos;
        while (pos < s.Length && (char.IsLetterOrDigit(s[pos]) || s[pos] is '_' || (restOfKey && s[pos] is '.' or '-' or '/' or ':')))
        {
            pos++;
        }
        if (pos == start)
            throw MlflowException.Invalid($"Invalid filter string '{s}': expected an identifier at position {start}.");
        return s[start..pos];
    }

    private static string ReadOperator(string s, ref int pos)
    {
        foreach (var op in (string[])["!=", "<>", ">=", "<=", "=", ">", "<"])
        {
            if (string.CompareOrdinal(s, pos, op, 0, op.Length) == 0)
            {
                pos += op.Length;
                return op == "<>" ? "!=" : op;
            }
        }
        var word = ReadWord(s, ref pos).ToUpperInvariant();
        if (word == "NOT")
        {
            SkipSpace(s, ref pos);
            var next = ReadWord(s, ref pos).ToUpperInvariant();
            if (next == "IN")
                return "NOT IN";
            word += " " + next;
        }
        return word is "LIKE" or "ILIKE" or "IN"
            ? word
            : throw MlflowException.Invalid($"Invalid comparator '{word}' in filter string; use =, !=, >, >=, <, <=, LIKE, ILIKE, IN or NOT IN.");
    }

    private static (string? Text, double? Number) ReadValue(string s, ref int pos)
    {
        if (pos < s.Length && s[pos] is '\'' or '"')
        {
            return (ReadQuoted(s, ref pos), null);
        }
        var start = pos;
        while (pos < s.Length && !char.IsWhiteSpace(s[pos]) && s[pos] != ')')
            pos++;
        var token = s[start..pos];
        if (double.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out var d))
            return (null, d);
        throw MlflowException.Invalid($"Invalid filter string '{s}': expected a quoted string or a number, got '{token}'.");
    }

    private static string ReadQuoted(string s, ref int pos)
    {
        var quote = s[pos++];
        var sb = new StringBuilder();
        while (pos < s.Length)
        {
            var c = s[pos++];
            if (c == quote)
            {
                if (pos < s.Length && s[pos] == quote)
                {
                    sb.Append(quote);
                    pos++;
                    continue;
                }
                return sb.ToString();
            }
            sb.Append(c);
        }
        throw MlflowException.Invalid($"Invalid filter string '{s}': unterminated string.");
    }

    private static List<string> ReadList(string s, ref int pos)
    {
        if (pos >= s.Length || s[pos] != '(')
            throw MlflowException.Invalid($"Invalid filter string '{s}': IN needs a parenthesized list.");
        pos++;
        var values = new List<string>();
        while (true)
        {
            SkipSpace(s, ref pos);
            if (pos < s.Length && s[pos] == ')')
            {
                pos++;
                return values;
            }
            var (text, number) = ReadValue(s, ref pos);
            values.Add(text ?? number!.Value.ToString(CultureInfo.InvariantCulture));
            SkipSpace(s, ref pos);
            if (pos < s.Length && s[pos] == ',')
                pos++;
            else if (pos >= s.Length)
                throw MlflowException.Invalid($"Invalid filter string '{s}': unterminated list.");
        }
    }

    private static string ReadWord(string s, ref int pos)
    {
        var start = pos;
        while (pos < s.Length && char.IsLetter(s[pos]))
            pos++;
        if (pos == start)
            throw MlflowException.Invalid($"Invalid filter string '{s}' at position {start}.");
        return s[start..pos];
    }

    private static void SkipSpace(string s, ref int pos)
    {
        while (pos < s.Length && char.IsWhiteSpace(s[pos]))
            pos++;
    }
}
