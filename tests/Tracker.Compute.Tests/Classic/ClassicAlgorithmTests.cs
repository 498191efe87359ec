using Tracker.Compute.Classic;
using Tracker.Compute.Problems;

namespace Tracker.Compute.Tests.Classic;

public sealed class ClassicAlgorithmTests
{
    [Fact]
    public void KMeans_on_iris_reaches_the_known_optimum_inertia()
    {
        var iris = Dataset.Load("iris");
        var result = new KMeans(3).Fit(iris.Features, iris.Rows, iris.Columns, new Random(0));
        Assert.Equal(78.851441426146, result.Inertia, 1e-6);
        for (var i = 1; i < result.InertiaHistory.Count; i++)
        {
            Assert.True(result.InertiaHistory[i] <= result.InertiaHistory[i - 1] + 1e-9);
        }
    }

    [Fact]
    public void Perceptron_separates_setosa_from_versicolor_within_novikoff_bound()
    {
        var data = Dataset.Load("iris").WithClasses(0, 1);
        var positive = data.Labels.Select(l => l == 0 ? 1 : 0).ToArray();
        var result = Perceptron.Train(data.Features, data.Rows, data.Columns, positive);
        Assert.True(result.Converged);
        Assert.True(result.Margin > 0);
        Assert.True(result.Updates <= result.NovikoffBound, $"{result.Updates} > {result.NovikoffBound}");
    }
}
