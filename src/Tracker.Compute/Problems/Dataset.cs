using System.Globalization;
using System.Reflection;

namespace Tracker.Compute.Problems;

/// <summary>A classification data set: a row-major feature matrix and integer labels.</summary>
public sealed class Dataset
{
    /// <summary>Names of the data sets embedded in the library.</summary>
    public static IReadOnlyList<string> Embedded { get; } = ["iris", "wine", "breast_cancer", "digits"];

    /// <summary>Creates a data set from a rows×columns feature matrix and labels; <paramref name="classes"/> 0 infers the class count from the largest label.</summary>
    public Dataset(string name, double[] features, int[] labels, int columns, int classes = 0)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(labels);
        if (features.Length != labels.Length * columns)
        {
            throw new ArgumentException("Feature matrix and labels disagree in size.", nameof(features));
        }

        Name = name;
        Features = features;
        Labels = labels;
        Columns = columns;
        Classes = Math.Max(classes, labels.Length == 0 ? 0 : labels.Max() + 1);
    }

    /// <summary>Name, e.g. <c>iris</c>.</summary>
    public string Name { get; }

    /// <summary>Row-major features (Rows × Columns).</summary>
    public double[] Features { get; }

    /// <summary>Class labels 0..Classes−1.</summary>
    public int[] Labels { get; }

    /// <summary>Number of features per row.</summary>
    public int Columns { get; }

    /// <summary>Number of rows.</summary>
    public int Rows => Labels.Length;

    /// <summary>Number of classes.</summary>
    public int Classes { get; }

    /// <summary>One row's features.</summary>
    public ReadOnlySpan<double> Row(int i) => Features.AsSpan(i * Columns, Columns);

    /// <summary>Loads an embedded data set (<see cref="Embedded"/>): the numeric columns before <c>target</c> are features.</summary>
    public static Dataset Load(string name)
    {
        var resource = $"Tracker.Compute.Data.{name}.csv";
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(resource)
            ?? throw new ArgumentException($"Unknown data set '{name}'.", nameof(name));
        using var reader = new StreamReader(stream);
        var header = reader.ReadLine()!.Split(',');
        var target = Array.IndexOf(header, "target");
        var features = new List<double>();
        var labels = new List<int>();
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0)
            {
                continue;
            }

            var cells = line.Split(',');
            for (var j = 0; j < target; j++)
            {
                features.Add(double.Parse(cells[j], CultureInfo.InvariantCulture));
            }

            labels.Add(int.Parse(cells[target], CultureInfo.InvariantCulture));
        }

        return new Dataset(name, [.. features], [.. labels], target);
    }

    /// <summary>The rows whose label is in <paramref name="classes"/>, relabelled 0, 1, … in that order.</summary>
    public Dataset WithClasses(params int[] classes)
    {
        var rows = Enumerable.Range(0, Rows).Where(i => classes.Contains(Labels[i])).ToArray();
        return Subset(rows, i => Array.IndexOf(classes, Labels[i]), classes.Length);
    }

    /// <summary>Shuffles with <paramref name="seed"/> and splits off a validation fraction; standardizes both with the training mean and deviation when asked.</summary>
    public (Dataset Train, Dataset Validation) Split(double validationFraction, int seed, bool standardize)
    {
        var order = Enumerable.Range(0, Rows).ToArray();
        new Random(seed).Shuffle(order);
        var validationRows = (int)Math.Round(Rows * validationFraction);
        var train = Subset(order[validationRows..], i => Labels[i]);
        var validation = Subset(order[..validationRows], i => Labels[i]);
        if (standardize)
        {
            var (mean, std) = train.Moments();
            train.StandardizeWith(mean, std);
            validation.StandardizeWith(mean, std);
        }

        return (train, validation);
    }

    /// <summary>The first <paramref name="rows"/> rows (all of them when 0 or more than there are).</summary>
    public Dataset Take(int rows) => rows <= 0 || rows >= Rows ? this : Subset([.. Enumerable.Range(0, rows)], i => Labels[i]);

    /// <summary>A copy in which round(<paramref name="fraction"/>·rows) rows drawn with <paramref name="seed"/> carry another class, drawn uniformly (symmetric label noise).</summary>
    public Dataset WithLabelNoise(double fraction, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(fraction);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(fraction, 1);
        var copy = Subset([.. Enumerable.Range(0, Rows)], i => Labels[i]);
        if (fraction == 0 || Classes < 2)
        {
            return copy;
        }

        var rng = new Random(seed);
        var order = Enumerable.Range(0, Rows).ToArray();
        rng.Shuffle(order);
        foreach (var i in order.AsSpan(0, (int)Math.Round(fraction * Rows)))
        {
            var other = rng.Next(Classes - 1);
            copy.Labels[i] = other >= Labels[i] ? other + 1 : other;
        }

        return copy;
    }

    /// <summary>Column means and (population) standard deviations.</summary>
    public (double[] Mean, double[] Std) Moments()
    {
        var mean = new double[Columns];
        var std = new double[Columns];
        for (var i = 0; i < Rows; i++)
        {
            for (var j = 0; j < Columns; j++)
            {
                mean[j] += Features[(i * Columns) + j] / Rows;
            }
        }

        for (var i = 0; i < Rows; i++)
        {
            for (var j = 0; j < Columns; j++)
            {
                var d = Features[(i * Columns) + j] - mean[j];
                std[j] += d * d / Rows;
            }
        }

        for (var j = 0; j < Columns; j++)
        {
            std[j] = Math.Sqrt(std[j]);
        }

        return (mean, std);
    }

    private void StandardizeWith(double[] mean, double[] std)
    {
        for (var i = 0; i < Rows; i++)
        {
            for (var j = 0; j < Columns; j++)
            {
                ref var v = ref Features[(i * Columns) + j];
                v = std[j] > 0 ? (v - mean[j]) / std[j] : v - mean[j];
            }
        }
    }

    private Dataset Subset(int[] rows, Func<int, int> label, int classes = -1)
    {
        var features = new double[rows.Length * Columns];
        var labels = new int[rows.Length];
        for (var r = 0; r < rows.Length; r++)
        {
            Row(rows[r]).CopyTo(features.AsSpan(r * Columns, Columns));
            labels[r] = label(rows[r]);
        }

        return new Dataset(Name, features, labels, Columns, classes < 0 ? Classes : classes);
    }
}
