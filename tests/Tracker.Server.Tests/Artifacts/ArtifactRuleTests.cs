using Tracker.Analysis.Convergence;
using Tracker.Server.Artifacts;
using Tracker.Server.Storage.Entities;

namespace Tracker.Server.Tests.Artifacts;

/// <summary>The path rule and the retention rule, without a server.</summary>
public sealed class ArtifactRuleTests
{
    [Theory]
    [InlineData("model.pt", true)]
    [InlineData("checkpoints/epoch-1/model.pt", true)]
    [InlineData("a b/ü.txt", true)]
    [InlineData("", false)]
    [InlineData("/etc/passwd", false)]
    [InlineData("C:/x", false)]
    [InlineData("a/../b", false)]
    [InlineData("..", false)]
    [InlineData("./a", false)]
    [InlineData("a//b", false)]
    [InlineData("a/", false)]
    [InlineData("a\\b", false)]
    [InlineData("a\0b", false)]
    [InlineData("a\nb", false)]
    public void Paths_are_relative_and_plain(string path, bool valid) => Assert.Equal(valid, ArtifactPath.IsValid(path));

    [Fact]
    public void A_path_longer_than_1024_characters_is_refused() => Assert.False(ArtifactPath.IsValid(new string('a', 1025)));

    [Fact]
    public void Retention_keeps_best_k_last_n_and_checkpoints_still_waiting_for_their_value()
    {
        ArtifactEntity C(long step, double? value) =>
            new()
            {
                RunId = "r",
                Path = $"c{step}",
                BlobKey = "k",
                Sha256 = "",
                ContentType = "",
                Step = step,
                Kind = "checkpoint",
                MetricValue = value,
            };
        var checkpoints = new List<ArtifactEntity> { C(0, 0.9), C(1, 0.2), C(2, 0.5), C(3, 0.1), C(4, 0.7), C(5, 0.8), C(6, null), C(7, null) };
        // The monitor was logged up to step 6: step 6 never got a value (it goes), step 7 may still get one (it stays).
        var doomed = CheckpointRetention.Doomed(checkpoints, new CheckpointPolicy(KeepBest: 2, KeepLast: 1), MetricMode.Min, lastMonitorStep: 6);
        Assert.Equal(["c0", "c2", "c4", "c5", "c6"], doomed.Select(c => c.Path));
        var doomedMax = CheckpointRetention.Doomed(checkpoints, new CheckpointPolicy(KeepBest: 1, KeepLast: 0), MetricMode.Max, lastMonitorStep: 7);
        Assert.Equal(["c1", "c2", "c3", "c4", "c5", "c6", "c7"], doomedMax.Select(c => c.Path));
    }
}
