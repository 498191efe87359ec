using System.Diagnostics;
using Tracker.Server.Mlflow;

namespace Tracker.Server.Tests.Mlflow;

/// <summary>MLflow's LIKE/ILIKE without backtracking: the SQL semantics, and pathological patterns in linear time.</summary>
public sealed class LikePatternTests
{
    [Theory]
    [InlineData("mlp", "ml%", false, true)]
    [InlineData("mlp", "%lp", false, true)]
    [InlineData("mlp", "%l%", false, true)]
    [InlineData("mlp", "m_p", false, true)]
    [InlineData("mlp", "m_", false, false)]
    [InlineData("mlp", "MLP", false, false)]
    [InlineData("mlp", "MLP", true, true)]
    [InlineData("mlp", "M%P", true, true)]
    [InlineData("", "%", false, true)]
    [InlineData("", "", false, true)]
    [InlineData("", "_", false, false)]
    [InlineData("a", "%%a%%", false, true)]
    [InlineData("aba", "a%a", false, true)]
    [InlineData("ab", "a%b%", false, true)]
    [InlineData("a", "a%a", false, false)]
    [InlineData("abcabd", "%ab_", false, true)]
    [InlineData("abcabd", "%ab_%d", false, true)]
    [InlineData("xaxbxc", "%a%b%c", false, true)]
    [InlineData("xaxcxb", "%a%b%c", false, false)]
    [InlineData("lr=0.1.*", "lr=0.1.*", false, true)]
    [InlineData("lr=0x1", "lr=0.1", false, false)]
    [InlineData("a\nb", "a_b", false, true)]
    public void Matches_like_sql(string value, string pattern, bool ignoreCase, bool expected) =>
        Assert.Equal(expected, LikePattern.Matches(value, pattern, ignoreCase));

    [Theory]
    [InlineData("%a%a%a%a%a%b")]
    [InlineData("%a_a%a_a%a_a%b")]
    [InlineData("%A%A%A%A%A%B")]
    public void Pathological_patterns_on_long_names_take_linear_time(string pattern)
    {
        var name = new string('a', 200_000);
        var watch = Stopwatch.StartNew();
        Assert.False(LikePattern.Matches(name, pattern, ignoreCase: true));
        Assert.True(LikePattern.Matches(name + "b", pattern, ignoreCase: true));
        // A backtracking regex (^.*a.*a.*a.*a.*a.*b$) takes O(n^6) steps here; the matcher a few passes over the name.
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2), $"{watch.Elapsed.TotalMilliseconds:0} ms");
    }
}
