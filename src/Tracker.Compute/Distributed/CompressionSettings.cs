namespace Tracker.Compute.Distributed;

/// <summary>Gradient compression options shared by all workers.</summary>
/// <param name="Kind">Encoding.</param>
/// <param name="Levels">QSGD's s (quantization levels per sign).</param>
/// <param name="KFraction">Top-k's kept fraction of coordinates (at least one is kept).</param>
/// <param name="ErrorFeedback">Top-k: carry the untransmitted mass to the next step.</param>
internal sealed record CompressionSettings(CompressionKind Kind = CompressionKind.None, int Levels = 4, double KFraction = 0.1, bool ErrorFeedback = true);
