using Tracker.Compute.Compute;

namespace Tracker.Compute.Tests.Compute;

public sealed class LinearModelGradientTests
{
    [Theory]
    [InlineData(LinearModelLoss.Logistic, 5003, 13)]
    [InlineData(LinearModelLoss.Squared, 4099, 100)]
    [InlineData(LinearModelLoss.Logistic, 7, 3)]
    public void Fused_sweep_matches_the_textbook_formulas(LinearModelLoss kind, int rows, int cols)
    {
        var rng = new Random(3);
        var x = Enumerable.Range(0, rows * cols).Select(_ => rng.NextDouble() - 0.5).ToArray();
        var y = Enumerable.Range(0, rows).Select(_ => (double)rng.Next(2)).ToArray();
        var w = Enumerable.Range(0, cols).Select(_ => 3 * (rng.NextDouble() - 0.5)).ToArray();
        var expectedGradient = new double[cols];
        var expectedLoss = 0.0;
        for (var i = 0; i < rows; i++)
        {
            var z = 0.0;
            for (var j = 0; j < cols; j++)
            {
                z += x[(i * cols) + j] * w[j];
            }

            double r;
            if (kind == LinearModelLoss.Logistic)
            {
                var p = 1 / (1 + Math.Exp(-z));
                expectedLoss -= (y[i] * Math.Log(p)) + ((1 - y[i]) * Math.Log(1 - p));
                r = p - y[i];
            }
            else
            {
                r = z - y[i];
                expectedLoss += 0.5 * r * r;
            }

            for (var j = 0; j < cols; j++)
            {
                expectedGradient[j] += r * x[(i * cols) + j] / rows;
            }
        }

        var gradient = new double[cols];
        var loss = new LinearModelGradient(cols, kind).Evaluate(x, y, rows, w, gradient);
        Assert.Equal(expectedLoss / rows, loss, 1e-10);
        for (var j = 0; j < cols; j++)
        {
            Assert.Equal(expectedGradient[j], gradient[j], 1e-12);
        }
    }
}
