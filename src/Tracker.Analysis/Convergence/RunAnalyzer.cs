namespace Tracker.Analysis.Convergence;

/// <summary>All convergence analyzers of one run behind one entry point: feed (series, step, value) points, read snapshots.</summary>
/// <remarks>
/// <para><see cref="Observe(string, long, double)"/> routes a point to the analyzers that read its series: O(1), no
/// allocation (a handful of ordinal string comparisons, or none with a <see cref="SeriesRoute"/> resolved once per
/// series, and, for <c>grad_norm/…</c>, one dictionary lookup). <see cref="Snapshot"/> and <see cref="Evaluate"/> do the heavier work
/// (the pattern and rate fits, O(256)) and allocate the result: call them once per ingested batch,
/// not per point.</para>
/// <para>State is a pure function of the points fed, so it is rebuilt after a restart by replaying
/// the stored points in step order (series in their logged order within a step), then calling
/// <see cref="Evaluate"/> once and discarding its changes (or comparing with the last stored
/// verdict through <see cref="AnalysisSnapshot.ChangesSince"/>). Points whose step is not after
/// the previous point of the same series are ignored, so replaying twice is harmless.</para>
/// <para>Not thread-safe: keep one analyzer per run and serialize the calls for that run (the
/// ingest of one run is sequential anyway). Memory is bounded: a few KB per run plus one small
/// object per gradient layer.</para>
/// </remarks>
public sealed class RunAnalyzer
{
    private readonly RunAnalyzerOptions _options;
    private readonly string _monitor;
    private readonly string _loss;
    private readonly string _validation;
    private readonly string _learningRate;
    private readonly string _gradientTotal;
    private readonly string _parameters;
    private readonly EarlyStoppingAdvisor _advisor;
    private readonly StoppingCriterion[] _criteria;
    private readonly LearningCurveClassifier _curves;
    private readonly ConvergenceRateEstimator _rate;
    private readonly ConvergenceRateEstimator _distanceRate = new(0);
    private readonly ConvergenceRateEstimator _suboptimalityRate = new(0);
    private readonly GradientHealthMonitor _gradients;
    private readonly FailureModeDetector _failures;
    private readonly VerdictDebouncer _verdicts = new();
    private AnalysisSnapshot? _lastEvaluated;
    private PatternSnapshot? _heldPattern;
    private long _evaluatedPoints = -1;

    /// <summary>Creates the analyzers of one run; throws <see cref="ArgumentException"/> on inconsistent options.</summary>
    public RunAnalyzer(RunAnalyzerOptions? options = null)
    {
        _options = options ?? new RunAnalyzerOptions();
        var c = _options.Criteria;
        _advisor = new EarlyStoppingAdvisor(_options.EarlyStopping);
        _monitor = _options.EarlyStopping.Monitor;
        _loss = _options.LossSeries;
        _validation = _options.ValidationSeries;
        _learningRate = _options.LearningRateSeries;
        _gradientTotal = c.GradientSeries;
        _parameters = c.ParameterSeries;
        _criteria =
        [
            new StoppingCriterion(StoppingCriterionKind.LossPlateau, _loss, c.PlateauThreshold, c.Window),
            new StoppingCriterion(StoppingCriterionKind.GradientNorm, c.GradientSeries, c.GradientThreshold, c.Window),
            new StoppingCriterion(StoppingCriterionKind.ParameterChange, c.ParameterSeries, c.ParameterThreshold, c.Window),
            new StoppingCriterion(StoppingCriterionKind.ValidationPatience, _monitor, c.ValidationPatience, minimize: _advisor.ResolvedMode == MetricMode.Min),
            new StoppingCriterion(StoppingCriterionKind.RelativeImprovement, _loss, c.RelativeThreshold, c.Window),
        ];
        _curves = new LearningCurveClassifier(_options.Curves)
        {
            Reference = new CurveReference(_options.OptimalLoss, _options.NumClasses, _options.EarlyStopping.StoppingThreshold),
        };
        _rate = new ConvergenceRateEstimator(_options.OptimalLoss);
        _gradients = new GradientHealthMonitor(_options.Gradients);
        _failures = new FailureModeDetector(optimalLoss: _options.OptimalLoss, numClasses: _options.NumClasses);
    }

    /// <summary>The series holding the distance to the known optimum ‖θ − θ*‖, read by the rate estimator's ratio tests.</summary>
    public const string DistanceSeries = "dist_to_opt";

    /// <summary>The series of an algorithm's own convergence flag (1 once its stopping test is met).</summary>
    public const string ConvergedSeries = "converged";

    /// <summary>The series holding the suboptimality f − f*, read by the rate estimator when no distance is logged.</summary>
    public const string SuboptimalitySeries = "suboptimality";

    /// <summary>The lowest loss that a sibling run (same group, or same project) reached, or null: a run far above it is
    /// judged high (underfitting, or slow progress while it still falls) relative to its siblings.</summary>
    public double? SiblingBest
    {
        get => _curves.Reference.SiblingBest;
        set => _curves.Reference = _curves.Reference with { SiblingBest = value is double v && double.IsFinite(v) ? v : null };
    }

    /// <summary>The options in force.</summary>
    public RunAnalyzerOptions Options => _options;

    /// <summary>Points fed so far (all series).</summary>
    public long Points { get; private set; }

    /// <summary>The largest step fed so far, or null.</summary>
    public long? LastStep { get; private set; }

    /// <summary>The early-stopping advisor, for callers that want its full state.</summary>
    public EarlyStoppingAdvisor Advisor => _advisor;

    /// <summary>Feeds one point of any series of the run; O(1), no allocation.</summary>
    public void Observe(string series, long step, double value) => Observe(Route(series), step, value);

    /// <summary>Resolves which analyzers read a series, so that a caller feeding many points of few series
    /// (an ingested batch) compares the names once per series instead of once per point.</summary>
    public SeriesRoute Route(string series)
    {
        ArgumentNullException.ThrowIfNull(series);
        var targets = SeriesTargets.None;
        if (Is(series, _monitor))
            targets |= SeriesTargets.Monitor;
        if (Is(series, _loss))
            targets |= SeriesTargets.Loss;
        if (Is(series, _validation))
            targets |= SeriesTargets.Validation;
        if (Is(series, _gradientTotal))
            targets |= SeriesTargets.GradientTotal;
        if (Is(series, _parameters))
            targets |= SeriesTargets.Parameters;
        if (Is(series, _learningRate))
            targets |= SeriesTargets.LearningRate;
        if (_gradients.Accepts(series))
            targets |= SeriesTargets.GradientLayer;
        if (IsAccuracy(series))
            targets |= SeriesTargets.Accuracy;
        if (Is(series, DistanceSeries))
            targets |= SeriesTargets.Distance;
        if (Is(series, SuboptimalitySeries))
            targets |= SeriesTargets.Suboptimality;
        if (Is(series, ConvergedSeries))
            targets |= SeriesTargets.Converged;
        return new SeriesRoute(series, targets);
    }

    /// <summary>Feeds one point of a series resolved by <see cref="Route"/>; O(1), no allocation.</summary>
    public void Observe(in SeriesRoute route, long step, double value)
    {
        Points++;
        if (LastStep is not long last || step > last)
        {
            LastStep = step;
        }

        var targets = route.Targets;
        if (targets == SeriesTargets.None)
        {
            return;
        }

        if ((targets & SeriesTargets.Monitor) != 0)
        {
            _advisor.Observe(step, value);
            _criteria[3].Observe(step, value);
        }

        if ((targets & SeriesTargets.Loss) != 0)
        {
            _advisor.ObserveTraining(step, value);
            _criteria[0].Observe(step, value);
            _criteria[4].Observe(step, value);
            _curves.ObserveTraining(step, value);
            _rate.Observe(step, value);
            _failures.ObserveLoss(step, value);
        }

        if ((targets & SeriesTargets.Validation) != 0)
        {
            _curves.ObserveValidation(step, value);
        }

        if ((targets & SeriesTargets.GradientTotal) != 0)
        {
            _criteria[1].Observe(step, value);
            _failures.ObserveGradientNorm(step, value);
        }

        if ((targets & SeriesTargets.Parameters) != 0)
        {
            _criteria[2].Observe(step, value);
        }

        if ((targets & SeriesTargets.LearningRate) != 0)
        {
            _failures.ObserveLearningRate(step, value);
        }

        if ((targets & SeriesTargets.GradientLayer) != 0)
        {
            _gradients.Observe(route.Series, step, value);
        }

        if ((targets & SeriesTargets.Accuracy) != 0)
        {
            _curves.ObserveAccuracy(value);
        }

        if ((targets & SeriesTargets.Distance) != 0)
        {
            _distanceRate.Observe(step, value);
        }

        if ((targets & SeriesTargets.Suboptimality) != 0)
        {
            _suboptimalityRate.Observe(step, value);
        }

        if ((targets & SeriesTargets.Converged) != 0)
        {
            _curves.ObserveConverged(step, value);
        }
    }

    /// <summary>The early-stopping advice alone (cheap; for the ingest response): its pattern and action are those of the
    /// last <see cref="Evaluate"/> (the held label), so no classification runs here.</summary>
    public AdviceSnapshot Advice() => Advice(_lastEvaluated?.Pattern);

    /// <summary>The hysteresis that <see cref="Evaluate"/> applies to the pattern label.</summary>
    public VerdictDebouncer Verdicts => _verdicts;

    /// <summary>Everything the analyzers say now (O(256) fits; allocates).</summary>
    public AnalysisSnapshot Snapshot()
    {
        var pattern = _curves.Classify();
        // The seed's rate definitions are on the error to the optimum: the distance ‖θ − θ*‖ when the run logs it, else f − f*.
        var rate =
            _distanceRate.Count >= 5 ? _distanceRate.Estimate()
            : _suboptimalityRate.Count >= 5 ? _suboptimalityRate.Estimate()
            : _rate.Estimate();
        var gradients = _gradients.Evaluate(pattern.Pattern == CurvePattern.Diverging);
        var criteria = new List<CriterionSnapshot>(_criteria.Length);
        foreach (var c in _criteria)
        {
            criteria.Add(new CriterionSnapshot(c.Name, c.Met, Finite(c.Value), c.Threshold, c.Series));
        }

        var layers = new List<GradientLayerSnapshot>(gradients.Layers.Count);
        var affected = new List<string>();
        foreach (var l in gradients.Layers)
        {
            layers.Add(new GradientLayerSnapshot(l.Layer, l.Depth, Finite(l.Norm), Finite(l.Last), GradientHealth.NameOf(l.Status)));
            if (l.Status is not GradientStatus.Healthy and not GradientStatus.Unknown)
            {
                affected.Add(l.Layer);
            }
        }

        var evidence = new Dictionary<string, double>();
        foreach (var e in pattern.Evidence)
        {
            if (double.IsFinite(e.Value))
            {
                evidence[e.Key] = e.Value;
            }
        }

        var patternSnapshot = new PatternSnapshot(pattern.Label, double.IsFinite(pattern.Confidence) ? pattern.Confidence : 0, evidence, pattern.Action);
        return new AnalysisSnapshot(
            patternSnapshot,
            Advice(patternSnapshot),
            criteria,
            new RateSnapshot(rate.ClassName, rate.Constants, rate.Confidence),
            new GradientSnapshot(gradients.StatusName, affected, layers, Finite(gradients.EarlyToLateRatio)),
            _failures.Evaluate(),
            Points,
            LastStep
        );
    }

    /// <summary>Takes a snapshot and reports what changed since the previous call (the first call compares with the empty state,
    /// or with the verdict given to <see cref="Resume"/>).</summary>
    /// <remarks>Unlike <see cref="Snapshot"/> (the raw one-shot verdict), the pattern label goes through <see cref="Verdicts"/>:
    /// a new label takes effect only once it has held (diverging at once), and while it waits the snapshot shows the held
    /// label with the raw one in <see cref="PatternSnapshot.Pending"/>. Advice changes (stop) are never delayed.</remarks>
    public AnalysisUpdate Evaluate() => EvaluateCore(settle: false);

    /// <summary>Evaluates a run that went quiet: like <see cref="Evaluate"/>, but a label still waiting to take effect
    /// takes effect now (<see cref="VerdictDebouncer.Settle"/>), so the verdict is that of the final points.</summary>
    public AnalysisUpdate Settle() => EvaluateCore(settle: true);

    private AnalysisUpdate EvaluateCore(bool settle)
    {
        var raw = Snapshot();
        if (settle)
            _verdicts.Settle(raw.Pattern.Label);
        else
            _verdicts.Update(raw.Pattern.Label, LastStep, Points != _evaluatedPoints);
        _evaluatedPoints = Points;
        PatternSnapshot pattern;
        if (string.Equals(_verdicts.Held, raw.Pattern.Label, StringComparison.Ordinal) || _heldPattern is null)
        {
            pattern = _heldPattern = raw.Pattern;
        }
        else
        {
            pattern = _heldPattern with { Pending = raw.Pattern.Label };
        }

        var snapshot = ReferenceEquals(pattern, raw.Pattern) ? raw : raw with { Pattern = pattern, Advice = Advice(pattern) };
        var changes = snapshot.ChangesSince(_lastEvaluated);
        _lastEvaluated = snapshot;
        return new AnalysisUpdate(snapshot, changes);
    }

    /// <summary>Continues from a verdict stored before a restart: the next <see cref="Evaluate"/> reports changes relative to
    /// it, and its pattern label is the held one (a different raw label must hold again before it takes effect).</summary>
    public void Resume(AnalysisSnapshot stored)
    {
        ArgumentNullException.ThrowIfNull(stored);
        _verdicts.Seed(stored.Pattern.Label);
        _heldPattern = stored.Pattern with { Pending = null };
        _lastEvaluated = stored;
    }

    /// <summary>Rebuilds an analyzer from stored points (in step order) and evaluates it once, so that the next <see cref="Evaluate"/> reports only new changes;
    /// with the <paramref name="stored"/> verdict (see <see cref="Resume"/>) the held pattern label is the stored one.</summary>
    public static RunAnalyzer Replay(
        IEnumerable<(string Series, long Step, double Value)> points,
        RunAnalyzerOptions? options = null,
        AnalysisSnapshot? stored = null
    )
    {
        ArgumentNullException.ThrowIfNull(points);
        var analyzer = new RunAnalyzer(options);
        foreach ((var series, var step, var value) in points)
        {
            analyzer.Observe(series, step, value);
        }

        if (stored is not null)
        {
            analyzer.Resume(stored);
        }

        analyzer.Evaluate();
        return analyzer;
    }

    private AdviceSnapshot Advice(PatternSnapshot? pattern) =>
        new(
            _advisor.ShouldStop,
            _advisor.Reason,
            _advisor.BestStep,
            _advisor.BestStep is null ? null : Finite(_advisor.BestValue),
            _monitor,
            EarlyStoppingOptions.StrategyName(_options.EarlyStopping.Strategy),
            _advisor.ShouldStop ? StopAction() : pattern?.Action ?? "keep training",
            pattern?.Label,
            _advisor.StoppedStep
        );

    // Keras: without restore_best_weights the model keeps its last weights; with it, the best epoch's weights come back
    // (the first evaluated epoch's when none improved), and nothing is restored when no epoch was considered.
    private string StopAction() =>
        !_options.EarlyStopping.RestoreBestWeights ? "stop training (keep the current weights)"
        : _advisor.RestoreStep is long step
            ? $"stop training and restore the weights of step {step}"
                + (_advisor.BestStep is null ? $" (the first {_monitor} evaluation; none improved)" : $" (best {_monitor})")
        : $"stop training (no {_monitor} evaluation to restore; keep the current weights)";

    private static bool Is(string series, string name) => string.Equals(series, name, StringComparison.Ordinal);

    // accuracy, acc, val_accuracy, train_acc, val/accuracy, …: a name that is or ends in accuracy/acc after a separator.
    private static bool IsAccuracy(string series) =>
        series is "accuracy" or "acc"
        || series.EndsWith("_accuracy", StringComparison.Ordinal)
        || series.EndsWith("/accuracy", StringComparison.Ordinal)
        || series.EndsWith("_acc", StringComparison.Ordinal)
        || series.EndsWith("/acc", StringComparison.Ordinal);

    private static double? Finite(double value) => double.IsFinite(value) ? value : null;
}
