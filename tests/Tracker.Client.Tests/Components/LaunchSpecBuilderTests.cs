using System.Text.Json;
using Tracker.Client.Components;
using Tracker.Sdk.Contracts;

namespace Tracker.Client.Tests.Components;

public sealed class LaunchSpecBuilderTests
{
    private static readonly ParameterDescriptor Lr = ParameterDescriptor.Number("lr", 0.01, 0, 10);
    private static readonly ParameterDescriptor Betas = ParameterDescriptor.Numbers("betas", [0.9, 0.999]);

    [Fact]
    public void A_comma_list_in_a_single_valued_field_is_a_sweep()
    {
        Assert.Equal("0.1", LaunchSpecBuilder.Parse(Lr, "0.1", out _)!.ToJsonString());
        Assert.Equal("[0.001,0.01]", LaunchSpecBuilder.Parse(Lr, "0.001, 0.01", out _)!.ToJsonString());
        Assert.Null(LaunchSpecBuilder.Parse(Lr, "fast", out var error));
        Assert.Contains("lr", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_list_valued_field_takes_a_list_and_semicolons_sweep_lists()
    {
        Assert.Equal("[0.9,0.999]", LaunchSpecBuilder.Parse(Betas, "0.9, 0.999", out _)!.ToJsonString());
        Assert.Equal("[[0.9,0.999],[0.8,0.99]]", LaunchSpecBuilder.Parse(Betas, "[0.9, 0.999]; [0.8, 0.99]", out _)!.ToJsonString());
        Assert.Equal("0.9, 0.999", LaunchSpecBuilder.DefaultText(Betas));
    }

    [Fact]
    public void Build_writes_the_spec_the_api_expects()
    {
        var spec = LaunchSpecBuilder.Build(
            "adam",
            "rosenbrock",
            new Dictionary<string, System.Text.Json.Nodes.JsonNode> { ["lr"] = LaunchSpecBuilder.Parse(Lr, "0.1,0.2", out _)! },
            "cosine",
            new Dictionary<string, System.Text.Json.Nodes.JsonNode> { ["T_max"] = 100 },
            50,
            3
        );
        using var doc = JsonDocument.Parse(spec.ToJsonString());
        Assert.Equal("adam", doc.RootElement.GetProperty("solver").GetString());
        Assert.Equal(2, doc.RootElement.GetProperty("hyperparameters").GetProperty("lr").GetArrayLength());
        Assert.Equal("cosine", doc.RootElement.GetProperty("schedule").GetProperty("name").GetString());
        Assert.Equal(50, doc.RootElement.GetProperty("steps").GetInt32());
    }
}
