using System.Numerics.Tensors;

namespace Tracker.Compute.Classic;

/// <summary>Rosenblatt's perceptron with a bias (rows augmented with 1), labels ±1, learning rate 1.</summary>
internal static class Perceptron
{
    /// <summary>Cycles over the rows in order until a pass makes no mistake or <paramref name="maxEpochs"/>; <paramref name="onEpoch"/> sees (epoch, mistakes made in it, fraction of rows the weights misclassify after it).</summary>
    /// <remarks><paramref name="cancellationToken"/> is checked every 1,024 rows of an epoch.</remarks>
    public static PerceptronResult Train(
        double[] x,
        int rows,
        int cols,
        ReadOnlySpan<int> positive,
        int maxEpochs = 1000,
        Action<int, int, double>? onEpoch = null,
        CancellationToken cancellationToken = default
    )
    {
        ArgumentNullException.ThrowIfNull(x);
        var d = cols + 1;
        var w = new double[d];
        var row = new double[d];
        var updates = 0;
        var epochs = 0;
        var converged = false;
        var radius = 0.0;
        for (var i = 0; i < rows; i++)
        {
            Augment(x, i, cols, row);
            radius = Math.Max(radius, TensorPrimitives.Norm<double>(row));
        }

        while (epochs < maxEpochs && !converged)
        {
            epochs++;
            var mistakes = 0;
            for (var i = 0; i < rows; i++)
            {
                if ((i & 1023) == 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                }

                Augment(x, i, cols, row);
                var y = positive[i] != 0 ? 1.0 : -1.0;
                if (y * TensorPrimitives.Dot<double>(w, row) <= 0)
                {
                    TensorPrimitives.MultiplyAdd<double>(row, y, w, w);
                    mistakes++;
                    updates++;
                }
            }

            onEpoch?.Invoke(epochs, mistakes, onEpoch is null ? 0 : TrainingError(x, rows, cols, positive, w, row));
            converged = mistakes == 0;
        }

        var margin = double.PositiveInfinity;
        var norm = TensorPrimitives.Norm<double>(w);
        for (var i = 0; i < rows; i++)
        {
            Augment(x, i, cols, row);
            var y = positive[i] != 0 ? 1.0 : -1.0;
            margin = Math.Min(margin, y * TensorPrimitives.Dot<double>(w, row) / norm);
        }

        margin = converged && margin > 0 ? margin : 0;
        var bound = margin > 0 ? radius * radius / (margin * margin) : double.PositiveInfinity;
        return new PerceptronResult(w, updates, epochs, converged, radius, margin, bound);
    }

    /// <summary>The fraction of rows that <paramref name="w"/> misclassifies (y·wᵀx ≤ 0 counts as a mistake, as in training).</summary>
    public static double TrainingError(double[] x, int rows, int cols, ReadOnlySpan<int> positive, ReadOnlySpan<double> w, double[]? scratch = null)
    {
        ArgumentNullException.ThrowIfNull(x);
        var row = scratch ?? new double[cols + 1];
        var wrong = 0;
        for (var i = 0; i < rows; i++)
        {
            Augment(x, i, cols, row);
            var y = positive[i] != 0 ? 1.0 : -1.0;
            if (y * TensorPrimitives.Dot<double>(w, row) <= 0)
            {
                wrong++;
            }
        }

        return rows == 0 ? 0 : (double)wrong / rows;
    }

    private static void Augment(double[] x, int i, int cols, double[] row)
    {
        x.AsSpan(i * cols, cols).CopyTo(row);
        row[cols] = 1;
    }
}
