using Tracker.Compute.Networks;

namespace Tracker.Compute.Tests.Networks;

public sealed class BatchNormalizationTests
{
    [Theory]
    [InlineData(Activation.Tanh, 2, false)]
    [InlineData(Activation.Relu, 3, true)]
    [InlineData(Activation.Sigmoid, 1, false)]
    public void Batch_norm_backward_pass_matches_central_finite_differences(Activation activation, int depth, bool residual)
    {
        // The training-mode loss depends on every row through the batch mean and variance: the finite differences see that
        // coupling, so they check the full gradient, not just the per-row part.
        var rng = new Random(11 + depth);
        const int rows = 7,
            inputs = 5,
            width = 4,
            classes = 3;
        var net = new MultilayerPerceptron<double>(new MlpArchitecture(inputs, width, depth, classes, activation, residual, BatchNorm: true), rows);
        var x = Enumerable.Range(0, rows * inputs).Select(_ => (2 * rng.NextDouble()) - 1).ToArray();
        var y = Enumerable.Range(0, rows).Select(i => i % classes).ToArray();
        var parameters = Enumerable.Range(0, net.ParameterCount).Select(_ => rng.NextDouble() - 0.5).ToArray();
        var gradient = new double[net.ParameterCount];
        var scratch = new double[net.ParameterCount];
        net.Evaluate(parameters, x, y, rows, gradient);
        const double h = 1e-6;
        for (var i = 0; i < parameters.Length; i++)
        {
            var saved = parameters[i];
            parameters[i] = saved + h;
            var plus = net.Evaluate(parameters, x, y, rows, scratch);
            parameters[i] = saved - h;
            var minus = net.Evaluate(parameters, x, y, rows, scratch);
            parameters[i] = saved;
            var numeric = (plus - minus) / (2 * h);
            Assert.True(
                Math.Abs(numeric - gradient[i]) <= 1e-7 + (1e-6 * Math.Abs(numeric)),
                $"{net.Blocks.First(b => i >= b.Offset && i < b.Offset + b.Length).Name}[{i}]: {gradient[i]} vs {numeric}"
            );
        }
    }

    [Fact]
    public void Batch_norm_normalizes_each_unit_over_the_batch_and_scores_with_running_statistics()
    {
        // One hidden unit, identity-like weights: z = x (W = 1, b = 0), γ = 1, β = 0. Training mode: the batch
        // (1, 2, 3, 6) has mean 3 and variance 3.5, so x̂ = (x − 3)/√(3.5 + 1e-5). With softmax weights (1, −1) the
        // logits are (x̂, −x̂) after the activation; compare the loss with that worked by hand.
        var net = new MultilayerPerceptron<double>(new MlpArchitecture(1, 1, 1, 2, Activation.Tanh, BatchNorm: true), 4);
        Assert.Equal(8, net.ParameterCount);
        // layout: W0 (1), b0 (1), γ (1), β (1), W1 (1×2), b1 (2)
        double[] parameters = [1, 0, 1, 0, 1, -1, 0, 0];
        double[] x = [1, 2, 3, 6];
        int[] y = [0, 0, 1, 1];
        var loss = net.Evaluate(parameters, x, y, 4, new double[parameters.Length]);
        var expected = 0.0;
        for (var i = 0; i < 4; i++)
        {
            var h = Math.Tanh((x[i] - 3) / Math.Sqrt(3.5 + 1e-5));
            var logit = y[i] == 0 ? h : -h;
            expected += Math.Log(1 + Math.Exp(-2 * logit));
        }

        Assert.Equal(expected / 4, loss, 1e-12);

        // After that one training pass: running mean 0.1·3 = 0.3, running variance 0.9 + 0.1·(3.5·4/3).
        var (scored, _) = net.Score(parameters, x, y, 4);
        var runningVar = 0.9 + (0.1 * 3.5 * 4 / 3);
        var expectedScore = 0.0;
        for (var i = 0; i < 4; i++)
        {
            var h = Math.Tanh((x[i] - 0.3) / Math.Sqrt(runningVar + 1e-5));
            var logit = y[i] == 0 ? h : -h;
            expectedScore += Math.Log(1 + Math.Exp(-2 * logit));
        }

        Assert.Equal(expectedScore / 4, scored, 1e-12);
    }

    [Fact]
    public void Layer_norm_and_batch_norm_together_are_refused() =>
        Assert.Throws<ArgumentException>(() => new MultilayerPerceptron<double>(new MlpArchitecture(2, 2, 1, 2, LayerNorm: true, BatchNorm: true), 4));
}
