using Tracker.Compute.Experiments;
using Tracker.Sdk.Contracts;

namespace Tracker.Compute.Tests.Experiments;

public sealed class ExperimentSweepTests
{
    [Fact]
    public void Grid_expands_to_the_cartesian_product_with_the_last_axis_fastest()
    {
        var spec = ExperimentSpec.FromJson(
            """{"solver":"adam","problem":"rosenbrock","hyperparameters":{"lr":[0.001,0.01,0.1],"betas":[[0.9,0.999],[0.5,0.9]],"eps":1e-8},"steps":5,"seed":2}"""
        );
        Assert.True(ExperimentSweep.IsSweep(spec));
        var specs = ExperimentSweep.Expand(spec);
        Assert.Equal(6, specs.Count);
        Assert.Equal([0.001, 0.001, 0.01, 0.01, 0.1, 0.1], specs.Select(s => s.Hyperparameters["lr"].GetDouble()));
        Assert.Equal([0.9, 0.5, 0.9, 0.5, 0.9, 0.5], specs.Select(s => s.Hyperparameters["betas"][0].GetDouble()));
        Assert.All(specs, s => Assert.Empty(ExperimentCatalog.Validate(s)));
        Assert.All(specs, s => Assert.Equal(2, s.Seed));
    }

    [Fact]
    public void A_plain_spec_is_its_own_single_run_and_a_list_parameter_is_not_an_axis()
    {
        var spec = ExperimentSpec.FromJson("""{"solver":"adam","problem":"rosenbrock","hyperparameters":{"lr":0.1,"betas":[0.9,0.999]}}""");
        Assert.False(ExperimentSweep.IsSweep(spec));
        Assert.Single(ExperimentSweep.Expand(spec));
        var huge = ExperimentSpec.FromJson(
            """{"solver":"sgd","problem":"quadratic","hyperparameters":{"lr":[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17],"momentum":[0,0.1,0.2,0.3,0.4,0.5,0.6,0.7,0.8,0.9,0.95,0.99,0.999,0.9999,0.5,0.25]}}"""
        );
        Assert.Throws<ArgumentException>(() => ExperimentSweep.Expand(huge));
    }
}
