using Tracker.Compute.Experiments;
using Tracker.Compute.Problems;
using Tracker.Sdk.Contracts;

namespace Tracker.Compute.Tests.Experiments;

public sealed class ExperimentFootprintTests
{
    private const long DefaultLimit = 512L * 1024 * 1024;

    [Fact]
    public void The_data_set_shapes_match_the_embedded_data_sets()
    {
        foreach (var (name, (rows, columns, classes)) in ExperimentFootprint.Shapes)
        {
            var data = Dataset.Load(name);
            Assert.Equal((rows, columns, classes), (data.Rows, data.Columns, data.Classes));
        }
    }

    [Fact]
    public void Every_preset_fits_the_default_memory_limit()
    {
        foreach (var preset in ExperimentPresets.All)
        {
            foreach (var spec in ExperimentSweep.Expand(preset.Spec))
            {
                var bytes = ExperimentFootprint.Estimate(spec).Bytes;
                Assert.True(bytes < DefaultLimit, $"{preset.Name}: {bytes} bytes");
            }
        }
    }

    [Theory]
    [InlineData("""{"solver":"newton","problem":"quadratic","hyperparameters":{"dimension":10000}}""", "hyperparameters.dimension")]
    [InlineData("""{"solver":"adam","problem":"mlp","hyperparameters":{"width":4096,"depth":8}}""", "hyperparameters.width")]
    [InlineData("""{"solver":"lbfgs","problem":"mlp","hyperparameters":{"width":512,"depth":2,"history_size":1000}}""", "hyperparameters.history_size")]
    public void A_large_experiment_is_estimated_above_the_limit_and_names_its_parameters(string json, string driver)
    {
        var spec = ExperimentSpec.FromJson(json);
        Assert.Empty(ExperimentCatalog.Validate(spec));
        var footprint = ExperimentFootprint.Estimate(spec);
        Assert.True(footprint.Bytes > DefaultLimit, $"{footprint.Bytes} bytes");
        Assert.Contains(driver, footprint.Drivers);
    }

    [Fact]
    public void The_estimate_grows_with_the_parameters_and_the_solver_state()
    {
        long Bytes(string json) => ExperimentFootprint.Estimate(ExperimentSpec.FromJson(json)).Bytes;
        Assert.Equal(8L * 3 * 1000, Bytes("""{"solver":"gd","problem":"quadratic","hyperparameters":{"dimension":1000}}"""));
        Assert.Equal(8L * 6 * 1000, Bytes("""{"solver":"adam","problem":"quadratic","hyperparameters":{"dimension":1000}}"""));
        Assert.True(
            Bytes("""{"solver":"kmeans","problem":"digits","hyperparameters":{"n_clusters":200}}""") > Bytes("""{"solver":"kmeans","problem":"digits"}""")
        );
        Assert.True(Bytes("""{"solver":"adam","problem":"mlp","hyperparameters":{"dtype":"float32"}}""") < Bytes("""{"solver":"adam","problem":"mlp"}"""));
    }

    [Theory]
    [InlineData("kmeans", "n_clusters", 257)]
    [InlineData("kmeans", "n_init", 101)]
    [InlineData("gmm", "n_components", 65)]
    public void Catalog_caps_refuse_values_past_the_maximum(string solver, string parameter, int value)
    {
        var spec = ExperimentSpec.FromJson($"{{\"solver\":\"{solver}\",\"problem\":\"iris\",\"hyperparameters\":{{\"{parameter}\":{value}}}}}");
        Assert.Contains($"hyperparameters.{parameter}", ExperimentCatalog.Validate(spec).Keys);
    }
}
