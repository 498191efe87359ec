namespace Tracker.Compute.Distributed;

/// <summary>How workers encode their gradients.</summary>
internal enum CompressionKind
{
    /// <summary>Dense doubles (8 bytes each).</summary>
    None,

    /// <summary>QSGD s-level stochastic quantization (Alistarh et al. 2017).</summary>
    Qsgd,

    /// <summary>Top-k sparsification, optionally with error feedback.</summary>
    TopK,
}
