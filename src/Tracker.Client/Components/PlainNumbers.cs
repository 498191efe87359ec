using System.Globalization;

namespace Tracker.Client.Components;

/// <summary>Numbers for sentences: three significant digits, percentages with a space before the sign.</summary>
internal static class PlainNumbers
{
    /// <summary>A value to three significant digits, e.g. <c>5.39</c>, <c>0.0481</c>, <c>1234</c>, <c>2.5e-5</c>.</summary>
    public static string Value(double v)
    {
        if (double.IsNaN(v))
            return "NaN";
        if (double.IsInfinity(v))
            return v > 0 ? "∞" : "−∞";
        var a = Math.Abs(v);
        if (a == 0)
            return "0";
        if (a < 1e-3 || a >= 1e6)
            return v.ToString("0.##e+0", CultureInfo.InvariantCulture);
        if (a >= 100)
            return Math.Round(v).ToString("0", CultureInfo.InvariantCulture);
        var decimals = Math.Clamp(2 - (int)Math.Floor(Math.Log10(a)), 0, 15);
        return Math.Round(v, decimals).ToString("0.##########", CultureInfo.InvariantCulture);
    }

    /// <summary>A fraction as a percentage: <c>91 %</c>, <c>4.2 %</c>, <c>0.35 %</c>.</summary>
    public static string Percent(double fraction)
    {
        var p = fraction * 100;
        var a = Math.Abs(p);
        var text =
            a >= 10 ? Math.Round(p).ToString("0", CultureInfo.InvariantCulture)
            : a >= 1 ? Math.Round(p, 1).ToString("0.#", CultureInfo.InvariantCulture)
            : a >= 0.01 ? Math.Round(p, 2).ToString("0.##", CultureInfo.InvariantCulture)
            : "0";
        return text + " %";
    }

    /// <summary>A whole count or step, e.g. <c>340</c>.</summary>
    public static string Whole(double v) => Math.Round(v).ToString("0", CultureInfo.InvariantCulture);

    /// <summary><paramref name="n"/> and the noun, plural when needed: <c>1 evaluation</c>, <c>8 evaluations</c>.</summary>
    public static string Count(double n, string noun) => Math.Round(n) == 1 ? $"1 {noun}" : $"{Whole(n)} {noun}s";

    /// <summary>The text with its first letter in upper case and a full stop at the end.</summary>
    public static string Sentence(string text)
    {
        text = text.Trim();
        if (text.Length == 0)
            return text;
        text = char.ToUpperInvariant(text[0]) + text[1..];
        return text.EndsWith('.') || text.EndsWith('!') || text.EndsWith('?') ? text : text + ".";
    }
}
