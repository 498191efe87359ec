using Tracker.Client.Charts;

namespace Tracker.Client.Tests.Charts;

public sealed class MetricGroupsTests
{
    [Fact]
    public void Train_and_validation_of_a_quantity_share_a_chart_and_gradient_norms_are_apart()
    {
        var groups = MetricGroups.Group(["val_loss", "loss", "train/acc", "val/acc", "lr", "grad_norm/fc1"]);
        Assert.Equal(["acc", "loss", "lr"], groups.Select(g => g.Quantity));
        Assert.Equal(["loss", "val_loss"], groups[1].Keys);
        Assert.Equal(["train/acc", "val/acc"], groups[0].Keys);
    }

    [Fact]
    public void Dom_ids_keep_only_safe_characters() => Assert.Equal("chart-a_b_c-d", MetricGroups.DomId("chart", "a/b c-d"));
}
