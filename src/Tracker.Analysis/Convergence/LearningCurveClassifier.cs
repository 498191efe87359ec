namespace Tracker.Analysis.Convergence;

/// <summary>Classifies the training and validation loss curves into the <see cref="CurvePattern"/> vocabulary.</summary>
/// <remarks>
/// <para>O(1) per point: each curve keeps a debiased EMA, its minimum, two noise levels (mean absolute deviation of raw
/// points from the smoothed curve, and the trend-free point noise from second differences) and 256-point decimated
/// reservoirs of the raw and the smoothed curve; <see cref="Classify"/> reads those summaries (O(256)). The rules are
/// scale-free, so they hold for any loss whatever its units or sign:</para>
/// <list type="bullet">
/// <item>T₀ (first 2 %, the larger of the raw and smoothed means), T_m (55 %), T_q (75 %), T_c (last 10 %): means of
/// the raw training points over those windows; drop = T₀ − T_c; relative_drop = the share of the way from the start
/// (or the chance level ln K when lower) to the floor (<see cref="Reference"/>: optimal loss, best sibling, stopping
/// threshold; else zero, i.e. the drop relative to the level); gain = T_q − T_c less two standard errors of that
/// difference, so that noise never looks like progress; recent_share = gain/drop, recent_relative = gain/|T_c|,
/// steadiness = gain/(T_m − T_q).</item>
/// <item>Without any training point the validation curve plays the training curve's part; an algorithm's own
/// <c>converged</c> flag reads as healthy_convergence.</item>
/// <item>diverging: NaN/Inf or unbounded growth (<see cref="DivergenceDetector"/>) in either curve.</item>
/// <item>oscillating: the noise is at least OscillationRatio of max(drop, 10 % of the level) without a downward trend;
/// or the raw second half's 10–90 % band around its line is at least OscillationRatio of the drop (or of a tenth of
/// the level), the curve fell by less than half the band, and the band is OscillationLevel of the level (a quarter of
/// that for a curve that made no progress). It is tested before overfitting.</item>
/// <item>overfitting: validation rose above its minimum by OverfitRise·|min| (and beyond its noise) for
/// OverfitEvaluations evaluations while the training loss fell by more than its own wander since then, or sits at its
/// minimum after a large drop.</item>
/// <item>slow_progress: under SlowDrop of the way and still measurably falling (a significant last-quarter gain, or a
/// second-half fall of three standard errors); or, against a known floor, under the high mark and falling steadily at
/// under 2·PlateauRelative of the level per quarter.</item>
/// <item>flat: recent_relative &lt; PlateauRelative, or recent_share &lt; PlateauShare and either recent_relative &lt;
/// 5·PlateauRelative, recent_share &lt; 0.4·PlateauShare or a thousandfold fall; flat and high (relative_drop under
/// HighLossDrop; 0.9 against an optimal loss, 0.75 against a sibling) is underfitting, otherwise healthy_convergence
/// (if validation is flat or absent; still decreasing validation means still_improving). Not flat: still_improving.</item>
/// </list>
/// </remarks>
public sealed class LearningCurveClassifier
{
    private readonly LearningCurveOptions _options;
    private readonly CurveTracker _train;
    private readonly CurveTracker _val;
    private readonly DivergenceDetector _trainDivergence = new();
    private readonly DivergenceDetector _valDivergence = new();
    private double _firstAccuracy = double.NaN;
    private long? _convergedStep;

    /// <summary>Creates a classifier with the given options (defaults when null).</summary>
    public LearningCurveClassifier(LearningCurveOptions? options = null)
    {
        _options = options ?? new LearningCurveOptions();
        _train = new CurveTracker(_options.TrainingSmoothing);
        _val = new CurveTracker(_options.ValidationSmoothing);
    }

    /// <summary>Absolute levels the loss is judged against (optimal loss, number of classes, stopping threshold, best sibling run).</summary>
    public CurveReference Reference { get; set; } = CurveReference.None;

    /// <summary>The chance-level loss ln K in force: from <see cref="CurveReference.NumClasses"/>, else inferred from the first
    /// logged accuracy a₀ ∈ [0.02, 0.5] (K = round(1/a₀)) when the first loss agrees with it (within 25 % of ln K: a model
    /// guessing at random has both), else NaN.</summary>
    public double ChanceLevel
    {
        get
        {
            if (Reference.NumClasses is int k and >= 2)
            {
                return Math.Log(k);
            }

            if (_firstAccuracy is >= 0.02 and <= 0.5 && _train.Count > 0)
            {
                var chance = Math.Log(Math.Round(1 / _firstAccuracy));
                return Math.Abs(_train.First - chance) <= 0.25 * chance ? chance : double.NaN;
            }

            return double.NaN;
        }
    }

    /// <summary>Feeds one point of an accuracy series (only the first one is read: a freshly initialized classifier's accuracy is ≈ 1/K).</summary>
    public void ObserveAccuracy(double value)
    {
        if (double.IsNaN(_firstAccuracy) && double.IsFinite(value))
        {
            _firstAccuracy = value;
        }
    }

    /// <summary>Feeds one point of the algorithm's own convergence flag (<c>converged</c>: 1 once its stopping test is met,
    /// as EM, k-means and the perceptron log it); the last value counts.</summary>
    public void ObserveConverged(long step, double value)
    {
        if (double.IsFinite(value))
        {
            _convergedStep = value >= 0.5 ? _convergedStep ?? step : null;
        }
    }

    /// <summary>Feeds one training-loss point; O(1), no allocation.</summary>
    public void ObserveTraining(long step, double value)
    {
        if (_train.Observe(step, value))
        {
            _trainDivergence.Observe(step, value);
        }
    }

    /// <summary>Feeds one validation-loss evaluation; O(1), no allocation.</summary>
    public void ObserveValidation(long step, double value)
    {
        if (_val.Observe(step, value))
        {
            _valDivergence.Observe(step, value);
        }
    }

    /// <summary>The current verdict (allocates the evidence).</summary>
    public PatternVerdict Classify()
    {
        var evidence = new Dictionary<string, double> { ["training_points"] = _train.Count, ["validation_points"] = _val.Count };

        if (_trainDivergence.IsDiverging || _valDivergence.IsDiverging)
        {
            var d = _trainDivergence.IsDiverging ? _trainDivergence : _valDivergence;
            evidence["diverged_step"] = d.DivergedStep ?? double.NaN;
            evidence["diverged_value"] = d.DivergedValue;
            evidence["non_finite"] = d.IsNonFinite ? 1 : 0;
            evidence["growth_limit"] = d.Limit;
            return new PatternVerdict(CurvePattern.Diverging, d.IsNonFinite ? 1.0 : 0.9, evidence);
        }

        // An algorithm that reports its own convergence (EM's likelihood change under tol, k-means' assignments fixed, the
        // perceptron's epoch without a mistake) has converged, however few iterations that took.
        if (_convergedStep is long convergedStep && _train.Count >= 2)
        {
            evidence["converged_step"] = convergedStep;
            evidence["train_initial"] = _train.First;
            evidence["train_current"] = _train.Last;
            return new PatternVerdict(CurvePattern.HealthyConvergence, 1.0, evidence);
        }

        // Without a training loss, the validation curve is read on its own (no overfitting test then).
        var curve = _train.Count == 0 && _val.Count > 0 ? _val : _train;
        if (curve.Count < _options.MinTrainingPoints)
        {
            return new PatternVerdict(CurvePattern.InsufficientData, 1.0, evidence);
        }

        // The start is where the curve began: the raw first window, or the smoothed one when the loss fell so fast within that
        // window that the raw mean already sits far below the first values (full-batch GD with a large step).
        var t0 = Math.Max(curve.RawMeanBetween(0, 0.02), curve.MeanBetween(0, 0.02));
        var tm = curve.RawMeanBetween(0.5, 0.6);
        var tq = curve.RawMeanBetween(0.7, 0.8);
        var tc = curve.RawMeanBetween(0.9, 1.0);
        var drop = t0 - tc;
        var scale = Math.Max(Math.Max(Math.Abs(t0), Math.Abs(tc)), 1e-300);
        var relativeDrop = Achieved(t0, tc, evidence);
        // Against a sibling's level (not a true optimum) a run is high until it got three quarters of the way there.
        // Against a true optimum, a run that stopped more than a tenth of the way short of it (a saddle, a local minimum) is
        // high, as the failure-mode detector judges it.
        var high =
            Reference.OptimalLoss is not null ? Math.Max(_options.HighLossDrop, 0.9)
            : Reference.SiblingBest is not null ? Math.Max(_options.HighLossDrop, 0.75)
            : _options.HighLossDrop;
        // The gain over the last quarter, less twice the standard error of a difference of two
        // window means (σ ≈ 1.25 × mean absolute deviation, a window holds a tenth of the raw points the reservoir keeps):
        // a gain that noise can explain counts as none.
        var noise = double.IsNaN(curve.Noise) ? 0 : curve.Noise;
        // The significance test uses the noise with the trend taken out: the smoothing's lag behind a steady descent is no
        // noise, and on a short series (one point per epoch) it would swallow the very progress being measured.
        var pointNoise = double.IsNaN(curve.TrendFreeNoise) ? noise : Math.Min(noise, curve.TrendFreeNoise);
        var standardError = 1.25 * pointNoise * Math.Sqrt(2.0 / Math.Max(1.0, curve.WindowPoints / 10.0));
        var recentGain = Math.Max(0, tq - tc - (2 * standardError));
        var recentShare = drop > 0 ? recentGain / drop : 0;
        var recentRelative = recentGain / Math.Max(Math.Abs(tc), 1e-300);
        // Steadiness: the last gain against the one before it (windows 55 % → 75 % → 95 %, equally spaced): a curve crawling
        // at a constant pace keeps it near 1, one settling onto its plateau lets it fall towards 0.
        var previousGain = tm - tq;
        var steadiness =
            previousGain > 0 ? recentGain / previousGain
            : recentGain > 0 ? 1
            : 0;
        var oscillation = noise / Math.Max(drop, 0.1 * scale);
        evidence["train_initial"] = t0;
        evidence["train_current"] = tc;
        evidence["train_min"] = curve.Min;
        evidence["relative_drop"] = relativeDrop;
        evidence["recent_share"] = recentShare;
        evidence["recent_relative"] = recentRelative;
        evidence["steadiness"] = steadiness;
        evidence["train_noise"] = noise;
        evidence["oscillation"] = oscillation;
        var dataFactor = Math.Min(1.0, curve.Count / (4.0 * _options.MinTrainingPoints));

        // A curve whose level around 75 % is above its starting level has no downward trend, whatever
        // its last-quarter gain (a random walk that went up and came partly back is not trending).
        var trending = recentShare >= _options.PlateauShare && recentGain > 0 && tq <= t0;
        // Robust band of the raw loss over the second half around its own line: swings that span at least
        // OscillationRatio of the achieved drop (or of a tenth of the level), while the line fell by less than half
        // the band over that half, are oscillation whatever the smoothed windows say (a correlated bounce follows the
        // EMA and hides from the noise level; a swing that happens to end low looks like a last-quarter gain).
        curve.RawBand(0.5, out var band, out var bandFall, out var lineFall, out var fallError);
        // The drop that the band is compared with starts from the first loss when the smoothed start window sits
        // above it: a loss that jumped up in its first steps (too high a step size) has not made that jump's worth of progress.
        var bandDrop = Math.Min(t0, curve.First) - tc;
        var bandRatio = double.IsNaN(band) ? 0 : band / Math.Max(bandDrop, 0.1 * Math.Max(Math.Abs(curve.First), Math.Abs(tc)));
        // Swings are "wild" only when they are also a sizeable part of the loss itself: a curve that has little left to
        // drop (fine-tuning, a late plateau) shows its mini-batch noise as a band wider than that small drop.
        var bandLevel = double.IsNaN(band) ? 0 : band / Math.Max(Math.Max(Math.Abs(curve.First), Math.Abs(tc)), 1e-300);
        // A curve that made no net progress (it ends within 2 % of the level of where it started, or above) shows swings of
        // a quarter of OscillationLevel as oscillation: it is not a fine-tuned model's noise around a low level.
        var noProgress = bandDrop <= 0.02 * Math.Max(Math.Abs(curve.First), Math.Abs(tc));
        var levelNeeded = noProgress ? 0.25 * _options.OscillationLevel : _options.OscillationLevel;
        var bandOscillating = bandRatio >= _options.OscillationRatio && bandFall < 0.5 * band && bandLevel >= levelNeeded;
        evidence["band"] = double.IsNaN(band) ? 0 : band;
        evidence["band_fall"] = double.IsNaN(bandFall) ? 0 : bandFall;
        evidence["band_ratio"] = bandRatio;
        evidence["band_level"] = bandLevel;
        // A training loss that itself swings wildly without trend is oscillating, whatever validation does (both wander).
        if (curve == _train && !bandOscillating && Overfitting(evidence, relativeDrop, out var overfitMargin))
        {
            return Verdict(CurvePattern.Overfitting, overfitMargin);
        }

        if ((oscillation >= _options.OscillationRatio && !trending) || bandOscillating)
        {
            var strength = Math.Max(oscillation, bandRatio);
            return Verdict(CurvePattern.Oscillating, Math.Min(1, (strength - _options.OscillationRatio) / _options.OscillationRatio));
        }

        // Slow progress is judged by the pace relative to the level and to what has been achieved, not by one threshold:
        // a curve that has achieved under SlowDrop of the way to its floor and is still measurably falling is slow; one that
        // has achieved under HighLossDrop of the way to a known floor (optimal loss, sibling best, stopping threshold) is slow
        // when it falls at a steady pace (not settling) that is small for its level (under 2 % of it per quarter of the run):
        // at that pace it needs many more runs to reach a loss known to be reachable. Without a known floor such a creeping,
        // high curve cannot be told from a model at its limit: it reads as underfitting.
        var decelerated = recentShare < _options.PlateauShare;
        // A steady fall over the whole second half (its line fell by more than three standard errors and by at least 30 % of
        // the total drop) is progress too: on a short or noisy series it is a stronger test than the last quarter alone.
        var steadyFall = !double.IsNaN(fallError) && lineFall > 3 * fallError && lineFall >= 0.3 * drop && tq <= t0;
        var measurable = Math.Max(recentGain, steadyFall ? lineFall : 0) > 1e-4 * Math.Abs(tc);
        evidence["second_half_fall"] = double.IsNaN(lineFall) ? 0 : lineFall;
        var slowAchieved = relativeDrop < _options.SlowDrop && (trending || steadyFall) && measurable;
        var slowPace =
            Reference.Floor is not null
            && relativeDrop < high
            && recentGain > 0
            && measurable
            && steadiness >= 0.5
            && recentRelative < 2 * _options.PlateauRelative
            && tq <= t0;
        if (slowAchieved || slowPace)
        {
            return Verdict(CurvePattern.SlowProgress, 1 - (Math.Max(relativeDrop, 0) / _options.HighLossDrop));
        }

        // Flat: under 1 % gained relative to the level in the last quarter; or little left of the
        // total drop (under 5 %) while the relative gain is modest (under 5 %) or the loss has
        // already fallen a thousandfold (losses that head to zero keep a large relative gain).
        var converged = recentRelative < 5 * _options.PlateauRelative || recentShare < 0.4 * _options.PlateauShare || Math.Abs(tc) < 1e-3 * Math.Abs(t0);
        var flat = recentRelative < _options.PlateauRelative || (decelerated && converged) || (decelerated && ValidationFlat(evidence));
        if (!flat)
        {
            return Verdict(CurvePattern.StillImproving, Math.Min(1, recentShare / (4 * _options.PlateauShare)));
        }

        var flatness = 1 - Math.Min(recentShare / _options.PlateauShare, recentRelative / _options.PlateauRelative);
        if (relativeDrop < high)
        {
            return Verdict(CurvePattern.Underfitting, Math.Min(Math.Clamp(flatness, 0, 1), 1 - (Math.Max(relativeDrop, 0) / high)));
        }

        if (curve == _train && _val.Count >= _options.MinValidationPoints)
        {
            var vq = _val.MeanBetween(0.7, 0.8);
            var vc = _val.MeanBetween(0.9, 1.0);
            var v0 = _val.MeanBetween(0, 0.02);
            var valShare = v0 - vc > 0 ? (vq - vc) / (v0 - vc) : 0;
            evidence["val_recent_share"] = valShare;
            if (valShare >= _options.PlateauShare && (vq - vc) / Math.Max(Math.Abs(vc), 1e-300) >= _options.PlateauRelative)
            {
                return Verdict(CurvePattern.StillImproving, Math.Min(1, valShare / (4 * _options.PlateauShare)));
            }
        }

        return Verdict(CurvePattern.HealthyConvergence, Math.Clamp(flatness, 0, 1));

        PatternVerdict Verdict(CurvePattern pattern, double margin) =>
            new(pattern, Math.Clamp((0.5 + (0.5 * Math.Clamp(margin, 0, 1))) * (0.5 + (0.5 * dataFactor)), 0, 1), evidence);
    }

    /// <summary>The share of the way from the start to the floor that the curve has covered. The start is the first window's
    /// level, or the chance level ln K when that is lower (progress above chance is none); the floor is the optimal loss when
    /// known, else the best level a sibling run reached, else the user's stopping threshold; without any, the drop is read
    /// relative to the level (a floor of zero for a positive loss).</summary>
    private double Achieved(double t0, double tc, Dictionary<string, double> evidence)
    {
        var start = t0;
        var chance = ChanceLevel;
        if (!double.IsNaN(chance))
        {
            evidence["chance_level"] = chance;
            start = Math.Min(t0, chance);
        }

        var floor = Reference.Floor;
        if (floor is double f && start > f)
        {
            evidence["floor"] = f;
            return (start - tc) / (start - f);
        }

        return (start - tc) / Math.Max(Math.Max(Math.Abs(start), Math.Abs(tc)), 1e-300);
    }

    /// <summary>The validation curve (when there is one) has stopped improving: under PlateauShare of its drop and
    /// under PlateauRelative of its level gained over the last quarter. A training loss that has delivered nearly all of
    /// its drop is then converged even if it keeps creeping towards zero in relative terms (memorization, not progress).</summary>
    private bool ValidationFlat(Dictionary<string, double> evidence)
    {
        if (_train.Count == 0 || _val.Count < _options.MinValidationPoints)
        {
            return false;
        }

        var v0 = _val.MeanBetween(0, 0.02);
        var vq = _val.MeanBetween(0.7, 0.8);
        var vc = _val.MeanBetween(0.9, 1.0);
        var gain = vq - vc;
        var share = v0 - vc > 0 ? gain / (v0 - vc) : 0;
        var relative = gain / Math.Max(Math.Abs(vc), 1e-300);
        evidence["val_recent_share"] = share;
        evidence["val_recent_relative"] = relative;
        return v0 > vc && share < _options.PlateauShare && relative < _options.PlateauRelative;
    }

    private bool Overfitting(Dictionary<string, double> evidence, double relativeDrop, out double margin)
    {
        margin = 0;
        if (_val.Count < _options.MinValidationPoints)
        {
            return false;
        }

        // The current level is the mean over the last 10 % of the evaluations (at least the last
        // one): the minimum of a noisy curve is biased low, its last value is noisy.
        var current = _val.MeanBetween(0.9, 1.0);
        var rise = current - _val.Min;
        // The noise that a rise must beat is the one after the minimum (where the rise is measured);
        // the whole-run noise also holds the early descent and hides a late rise on short series.
        // The smoothed minimum of n noisy evaluations sits about √(2 ln n) noise levels below the curve's
        // mean, so a flat noisy curve "rises" that much above its minimum: the floor is that bias plus one level.
        var recentNoise = _val.DeviationsSinceMin >= _options.OverfitEvaluations;
        var valNoise = recentNoise ? _val.NoiseSinceMin : _val.Noise;
        var noiseFactor = recentNoise ? 1 + Math.Sqrt(2 * Math.Log(Math.Max(3, _val.Count))) : 2;
        var floor = Math.Max(_options.OverfitRise * Math.Abs(_val.Min), noiseFactor * (double.IsNaN(valNoise) ? 0 : valNoise));
        var since = _val.Count - _val.CountAtMin;
        var trainAtMin = _train.ValueNear(_val.MinStep);
        var trainNoise = double.IsNaN(_train.NoiseSinceMin) ? (double.IsNaN(_train.Noise) ? 0 : _train.Noise) : Math.Min(_train.Noise, _train.NoiseSinceMin);
        evidence["val_min"] = _val.Min;
        evidence["val_min_step"] = _val.MinStep;
        evidence["val_current"] = current;
        evidence["val_rise"] = rise;
        evidence["evaluations_since_val_min"] = since;
        evidence["train_change_since_val_min"] = _train.Smoothed - trainAtMin;
        // "Training keeps decreasing": the training loss is not above its level at the validation
        // minimum by more than its own noise (a training loss that rose with validation is a bad step
        // size or a random walk, not overfitting).
        // Overfitting is validation rising while the model fits its training data ever better: the training loss has fallen since
        // the validation minimum by more than its own wander (twice its noise, and 5 % of its level), or it sits at its minimum
        // (within that wander) after a large drop (at least HighLossDrop of the way). Two curves that merely wander in a noise
        // band (constant-lr SGD: the training loss is far above its own minimum) or sit flat at a high level (heavy
        // regularization) are not overfitting.
        var wander = Math.Max(2 * trainNoise, 0.05 * Math.Abs(trainAtMin));
        var trainFell = trainAtMin - _train.Smoothed > wander;
        var trainFitted = relativeDrop >= _options.HighLossDrop && _train.Smoothed - _train.Min <= Math.Max(2 * trainNoise, 0.05 * Math.Abs(_train.Min));
        var trainNotWorse = !(_train.Smoothed > trainAtMin + Math.Max(trainNoise, 1e-9 * Math.Abs(trainAtMin)));
        if (rise > floor && since >= _options.OverfitEvaluations && trainNotWorse && (trainFell || trainFitted))
        {
            margin = Math.Min(1, (rise - floor) / Math.Max(floor, 1e-300));
            return true;
        }

        return false;
    }
}
