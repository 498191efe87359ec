using Tracker.Compute.Networks;
using Tracker.Compute.Problems;

namespace Tracker.Compute.Tests.Networks;

public sealed class MultilayerPerceptronTests
{
    [Fact]
    public void Tiny_tanh_network_matches_the_hand_computed_chain_rule()
    {
        // x = (1, 2), label 1; W0 = [[0.1, −0.2], [0.3, 0.4]] (fan_in × fan_out), b0 = (0.05, −0.05),
        // W1 = [[0.5, −0.6], [0.7, 0.8]], b1 = (0.1, −0.1). Values worked out with the scalar chain rule:
        // z = xW0 + b0 = (0.75, 0.55), h = tanh z, o = hW1 + b1, p = softmax o, loss = −log p₁,
        // ∂o = p − e₁, ∂W1 = hᵀ∂o, ∂h = ∂o W1ᵀ, ∂z = ∂h ⊙ (1 − h²), ∂W0 = xᵀ∂z.
        var net = new MultilayerPerceptron<double>(new MlpArchitecture(2, 2, 1, 2, Activation.Tanh), 1);
        double[] parameters = [0.1, -0.2, 0.3, 0.4, 0.05, -0.05, 0.5, -0.6, 0.7, 0.8, 0.1, -0.1];
        var gradient = new double[net.ParameterCount];
        var loss = net.Evaluate(parameters, [1.0, 2.0], [1], 1, gradient);
        Assert.Equal(12, net.ParameterCount);
        Assert.Equal(1.2048927618612526, loss, 1e-14);
        double[] expected =
        [
            0.459552104184301,
            -0.05248424144161889,
            0.919104208368602,
            -0.10496848288323778,
            0.459552104184301,
            -0.05248424144161889,
            0.4447794790841933,
            -0.44477947908419324,
            0.3505022215144239,
            -0.35050222151442384,
            0.7002758603512351,
            -0.700275860351235,
        ];
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], gradient[i], 1e-14);
        }
    }

    [Fact]
    public void Softmax_regression_gradient_is_the_closed_form_Xt_times_P_minus_Y()
    {
        // depth 0: one affine layer; at W = 0, b = 0 every class has p = 1/C, the loss is ln C and
        // ∂W = Xᵀ(1/C − Y)/n, ∂b = mean(1/C − Y).
        var rng = new Random(4);
        const int n = 7,
            d = 3,
            c = 4;
        var x = Enumerable.Range(0, n * d).Select(_ => rng.NextDouble() - 0.5).ToArray();
        int[] y = [0, 1, 2, 3, 3, 1, 0];
        var net = new MultilayerPerceptron<double>(new MlpArchitecture(d, 0, 0, c), n);
        var gradient = new double[net.ParameterCount];
        var loss = net.Evaluate(new double[net.ParameterCount], x, y, n, gradient);
        Assert.Equal(Math.Log(c), loss, 1e-14);
        for (var k = 0; k < c; k++)
        {
            for (var j = 0; j < d; j++)
            {
                var s = 0.0;
                for (var i = 0; i < n; i++)
                {
                    s += x[(i * d) + j] * ((1.0 / c) - (y[i] == k ? 1 : 0));
                }

                Assert.Equal(s / n, gradient[(j * c) + k], 1e-14);
            }

            Assert.Equal(((1.0 / c) - (y.Count(v => v == k) / (double)n)), gradient[(d * c) + k], 1e-14);
        }
    }

    [Theory]
    [InlineData(Activation.Relu, 3, false, false)]
    [InlineData(Activation.Tanh, 2, false, false)]
    [InlineData(Activation.Sigmoid, 3, false, false)]
    [InlineData(Activation.Tanh, 3, true, false)]
    [InlineData(Activation.Sigmoid, 2, false, true)]
    [InlineData(Activation.Relu, 4, true, true)]
    [InlineData(Activation.Tanh, 0, false, false)]
    public void Backward_pass_matches_central_finite_differences(Activation activation, int depth, bool residual, bool layerNorm)
    {
        var rng = new Random(depth + (int)activation);
        const int rows = 6,
            inputs = 5,
            width = 4,
            classes = 3;
        var net = new MultilayerPerceptron<double>(new MlpArchitecture(inputs, width, depth, classes, activation, residual, layerNorm), rows);
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
    public void Layer_norm_and_skip_blocks_are_laid_out_per_layer()
    {
        var net = new MultilayerPerceptron<double>(new MlpArchitecture(5, 4, 2, 3, Activation.Relu, true, true), 2);
        Assert.Equal(
            [
                "layer0.weight",
                "layer0.bias",
                "layer0.norm.weight",
                "layer0.norm.bias",
                "layer1.weight",
                "layer1.bias",
                "layer1.norm.weight",
                "layer1.norm.bias",
                "layer2.weight",
                "layer2.bias",
            ],
            net.Blocks.Select(b => b.Name)
        );
        Assert.Equal(["layer0", "layer1", "layer2"], net.Layers.Select(b => b.Name));
        Assert.Equal((5 * 4) + 4 + 8 + (4 * 4) + 4 + 8 + (4 * 3) + 3, net.ParameterCount);
        Assert.Equal(net.ParameterCount, net.Layers.Sum(l => l.Length));
    }

    [Fact]
    public void Float32_network_agrees_with_float64_and_allocates_nothing_per_step()
    {
        var rng = new Random(9);
        const int rows = 64,
            inputs = 64,
            width = 32,
            classes = 10;
        var arch = new MlpArchitecture(inputs, width, 2, classes, Activation.Relu, true, true);
        var netD = new MultilayerPerceptron<double>(arch, rows);
        var netF = new MultilayerPerceptron<float>(arch, rows);
        var p = new double[netD.ParameterCount];
        netD.Initialize(p, new WeightInit(InitScheme.KaimingUniform), rng);
        var x = Enumerable.Range(0, rows * inputs).Select(_ => rng.NextDouble()).ToArray();
        var y = Enumerable.Range(0, rows).Select(i => i % classes).ToArray();
        var gD = new double[p.Length];
        var gF = new float[p.Length];
        var pF = p.Select(v => (float)v).ToArray();
        var xF = x.Select(v => (float)v).ToArray();
        var lossD = netD.Evaluate(p, x, y, rows, gD);
        var lossF = netF.Evaluate(pF, xF, y, rows, gF);
        Assert.Equal(lossD, lossF, 1e-4);
        for (var i = 0; i < p.Length; i++)
        {
            Assert.True(Math.Abs(gD[i] - gF[i]) < 1e-4 + (1e-3 * Math.Abs(gD[i])), $"{i}: {gD[i]} vs {gF[i]}");
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var s = 0; s < 5; s++)
        {
            netF.Evaluate(pF, xF, y, rows, gF);
            netF.Score(pF, xF, y, rows);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void Mlp_problem_step_allocates_nothing_and_gd_lowers_the_loss_on_digits()
    {
        var (train, validation) = Dataset.Load("digits").Split(0.2, 0, standardize: true);
        var problem = new MlpProblem<float>(train, validation, 32, 2, batchSize: 64);
        var x = new double[problem.Dimension];
        var g = new double[problem.Dimension];
        var rng = new Random(0);
        problem.InitialPoint(x, rng);
        var start = problem.Loss(x);
        Assert.Equal(Math.Log(10), start, 0.3);
        problem.NextBatch(rng);
        problem.Evaluate(x, g);
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var s = 0; s < 200; s++)
        {
            problem.NextBatch(rng);
            problem.Evaluate(x, g);
            for (var i = 0; i < x.Length; i++)
            {
                x[i] -= 0.1 * g[i];
            }
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.True(problem.Loss(x) < 0.5 * start);
        Assert.True(problem.ValidationAccuracy(x) > 0.85, $"{problem.ValidationAccuracy(x)}");
    }
}
