using Tracker.Compute.Experiments;

namespace Tracker.Compute.Tests.Experiments;

public sealed class PresetBehaviourTests
{
    private sealed class ListSink : IMetricSink
    {
        public List<(long Step, string Key, double Value)> Points { get; } = [];

        public void Log(long step, string key, double value) => Points.Add((step, key, value));

        public double First(string key) => Points.First(p => p.Key == key).Value;

        public double Last(string key) => Points.Last(p => p.Key == key).Value;
    }

    private static ListSink Run(string preset, int? steps = null)
    {
        var spec = ExperimentPresets.All.Single(p => p.Name == preset).Spec;
        var sink = new ListSink();
        ExperimentRunner.Run(steps is { } s ? spec with { Steps = s } : spec, sink);
        return sink;
    }

    [Fact]
    public void Init_presets_show_vanishing_and_exploding_per_layer_gradients()
    {
        static double Ratio(ListSink s) => s.First("grad_norm/layer0") / s.First("grad_norm/layer8");
        var xavierSigmoid = Run("init-xavier-deep-sigmoid", 1);
        var naiveRelu = Run("init-naive-deep-relu", 1);
        var heRelu = Run("init-he-deep-relu", 1);
        Assert.True(Ratio(xavierSigmoid) < Math.Pow(0.5, 8), $"{Ratio(xavierSigmoid)}");
        Assert.InRange(Ratio(heRelu), 0.1, 10);
        Assert.True(naiveRelu.First("grad_norm/total") > 1e3 * heRelu.First("grad_norm/total"));
        Assert.Equal(Math.Log(10), heRelu.First("loss"), 1.0);
    }

    [Fact]
    public void Residual_and_layernorm_train_the_deep_network_that_plain_sgd_cannot()
    {
        var plain = Run("deep-plain").Last("loss");
        Assert.True(plain > 2.0, $"{plain}");
        Assert.True(Run("deep-residual").Last("loss") < 0.5 * plain);
        Assert.True(Run("deep-layernorm").Last("loss") < 0.5 * plain);
    }

    [Fact]
    public void Linear_scaling_rule_and_decaying_lr_and_standardization_pay_off()
    {
        var small = Run("batch-small").Last("loss");
        Assert.True(Run("batch-large-linear-scaling").Last("loss") < 0.25 * Math.Min(small, Run("batch-large-no-scaling").Last("loss")));
        static double Band(ListSink s) => s.Points.Where(p => p.Key == "loss").Skip(400).Average(p => p.Value);
        Assert.True(Band(Run("decaying-lr")) < 0.6 * Band(Run("constant-lr-noise-band")));
        Assert.True(Run("standardized-features").Last("loss") < 0.2 * Run("raw-vs-standardized").Last("loss"));
        Assert.Equal(-1.0, Run("saddle-noise-escape").Last("loss"), 1e-3);
        Assert.Equal(0.0, Run("saddle-gd-stuck").Last("loss"), 1e-6);
        Assert.Equal(-1.0, Run("saddle-momentum-escape").Last("loss"), 1e-3);
    }

    [Fact]
    public void Distributed_presets_show_staleness_hurting_staleness_aware_lr_recovering_and_error_feedback_paying_off()
    {
        var fresh = Run("async-sync-baseline").Last("loss");
        var stale = Run("async-staleness-hurts");
        var aware = Run("async-staleness-aware").Last("loss");
        Assert.True(stale.Last("loss") > 3 * fresh, $"stale {stale.Last("loss")} vs fresh {fresh}");
        Assert.True(stale.Last("loss") - aware > 0.5 * (stale.Last("loss") - fresh), $"aware {aware} in [{fresh}, {stale.Last("loss")}]");
        Assert.True(stale.Points.Where(p => p.Key == "staleness").Max(p => p.Value) > 8);

        var withFeedback = Run("topk-error-feedback");
        Assert.True(withFeedback.Last("loss") < 0.5 * Run("topk-no-feedback").Last("loss"));

        // digits softmax regression: 10 × 65 = 650 parameters, k = ⌈6.5⌉ = 7 coordinates × 12 bytes up, 650 doubles down, 4 workers, 200 steps.
        Assert.Equal(200 * 4 * 7 * 12, withFeedback.Last("bytes_up"));
        Assert.Equal(200 * 4 * 650 * 8, withFeedback.Last("bytes_down"));
    }
}
