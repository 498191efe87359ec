namespace Tracker.Analysis.Convergence;

/// <summary>Watches <c>grad_norm/&lt;layer&gt;</c> series for vanishing, exploding and non-finite gradients.</summary>
/// <remarks>
/// <para>Per layer, O(1) per point: a geometric EMA of the norm (EMA of its logarithm), its minimum
/// after a warm-up, and whether the latest value is finite. A layer is non-finite when its latest
/// value is NaN/Inf; exploding when the smoothed norm exceeds the ceiling or has grown by the
/// growth factor over its minimum; vanishing when below the absolute floor. Across the network,
/// the early layers (first third by depth) are vanishing when their geometric-mean norm is below
/// <c>VanishingRatio</c> times that of the last third (unless some layer is exploding).</para>
/// <para>Depth is the order in which layer series first appear, which for a model's own logging
/// (and a replay in step order, series in their logged order) is the network's order.</para>
/// </remarks>
public sealed class GradientHealthMonitor
{
    private readonly GradientHealthOptions _options;
    private readonly Dictionary<string, LayerState> _layers = new(StringComparer.Ordinal);
    private readonly List<LayerState> _ordered = [];

    /// <summary>Creates a monitor with the given options (defaults when null).</summary>
    public GradientHealthMonitor(GradientHealthOptions? options = null)
    {
        _options = options ?? new GradientHealthOptions();
    }

    /// <summary>Whether the series is a gradient-norm series this monitor reads.</summary>
    public bool Accepts(string series) => series.StartsWith(_options.Prefix, StringComparison.Ordinal);

    /// <summary>Feeds one point of a <c>grad_norm/…</c> series (others are ignored); no allocation once the layer is known.</summary>
    public void Observe(string series, long step, double value)
    {
        if (!Accepts(series))
        {
            return;
        }

        if (!_layers.TryGetValue(series, out var layer))
        {
            var total = string.Equals(series, _options.TotalSeries, StringComparison.Ordinal);
            var depth = total ? -1 : _ordered.Count(l => l.Depth >= 0);
            layer = new LayerState(series[_options.Prefix.Length..], depth, _options.SmoothingWeight);
            _layers.Add(series, layer);
            _ordered.Add(layer);
        }

        layer.Observe(step, value, _options.WarmUp);
    }

    /// <summary>The current verdict (O(layers); allocates the result).</summary>
    public GradientHealth Evaluate() => Evaluate(lossDiverging: false);

    /// <summary>The current verdict; while the loss diverges, a gradient norm that grew <c>DivergingGrowthFactor</c>-fold
    /// over its minimum is exploding (the growth that makes the loss blow up), not only one past the usual growth factor.</summary>
    public GradientHealth Evaluate(bool lossDiverging)
    {
        var options = lossDiverging ? _options with { GrowthFactor = Math.Min(_options.GrowthFactor, _options.DivergingGrowthFactor) } : _options;
        if (_ordered.Count == 0)
        {
            return new GradientHealth(GradientStatus.Unknown, double.NaN, []);
        }

        var depthOrdered = _ordered.Where(l => l.Depth >= 0).OrderBy(l => l.Depth).ToList();
        var ratio = double.NaN;
        var third = depthOrdered.Count / 3;
        if (depthOrdered.Count >= 2)
        {
            var take = Math.Max(1, third);
            var early = depthOrdered.Take(take).Average(l => l.LogNorm);
            var late = depthOrdered.Skip(depthOrdered.Count - take).Average(l => l.LogNorm);
            ratio = Math.Exp(early - late);
        }

        // Tiny early norms relative to exploding late ones are the explosion, not a vanishing gradient.
        var earlyVanishing = ratio < options.VanishingRatio && !depthOrdered.Exists(l => l.Status(options) == GradientStatus.Exploding);
        var layers = new List<LayerGradient>(_ordered.Count);
        var worst = GradientStatus.Healthy;
        foreach (var l in depthOrdered.Concat(_ordered.Where(l => l.Depth < 0)))
        {
            var status = l.Status(options);
            if (status == GradientStatus.Healthy && earlyVanishing && l.Depth >= 0 && l.Depth < Math.Max(1, third))
            {
                status = GradientStatus.Vanishing;
            }

            layers.Add(new LayerGradient(l.Name, l.Depth, Math.Exp(l.LogNorm), l.Last, status));
            worst = (GradientStatus)Math.Max((int)worst, (int)status);
        }

        return new GradientHealth(worst, ratio, layers);
    }

    private sealed class LayerState(string name, int depth, double weight)
    {
        private readonly DebiasedEma _logEma = new(weight);
        private long _lastStep = long.MinValue;
        private long _count;

        public string Name { get; } = name;

        public int Depth { get; } = depth;

        public double LogNorm { get; private set; } = double.NaN;

        public double MinLogNorm { get; private set; } = double.PositiveInfinity;

        public double Last { get; private set; } = double.NaN;

        public void Observe(long step, double value, int warmUp)
        {
            if (_count > 0 && step <= _lastStep)
            {
                return;
            }

            _lastStep = step;
            _count++;
            Last = value;
            if (!double.IsFinite(value))
            {
                return;
            }

            LogNorm = _logEma.Next(Math.Log(Math.Max(Math.Abs(value), 1e-300)));
            if (_logEma.Count >= warmUp)
            {
                MinLogNorm = Math.Min(MinLogNorm, LogNorm);
            }
        }

        public GradientStatus Status(GradientHealthOptions o)
        {
            if (!double.IsFinite(Last))
            {
                return _count == 0 ? GradientStatus.Unknown : GradientStatus.NonFinite;
            }

            // Growth alone is explosion only for a norm that is large too (≥ 1), or while the loss diverges (the growth factor
            // is then the lower DivergingGrowthFactor): a bottleneck's gradient growing from 1e-5 to 0.1 is learning, not exploding.
            var grown = LogNorm - MinLogNorm > Math.Log(o.GrowthFactor) && (LogNorm >= 0 || o.GrowthFactor <= o.DivergingGrowthFactor);
            if (LogNorm > Math.Log(o.ExplodingCeiling) || grown)
            {
                return GradientStatus.Exploding;
            }

            return LogNorm < Math.Log(o.VanishingFloor) ? GradientStatus.Vanishing : GradientStatus.Healthy;
        }
    }
}
