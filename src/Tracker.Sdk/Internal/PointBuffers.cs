using System.Runtime.CompilerServices;

namespace Tracker.Sdk.Internal;

/// <summary>Stack room for the points of one fixed-arity <c>Log</c> call (up to 4), written to the ring together.</summary>
[InlineArray(4)]
internal struct FourPoints
{
    private LoggedPoint _first;
}

/// <summary>Stack room for a chunk of a variable-length <c>Log</c> call; longer calls are written in chunks of this size.</summary>
[InlineArray(Length)]
internal struct PointChunk
{
    /// <summary>Points per chunk.</summary>
    public const int Length = 32;

    private LoggedPoint _first;
}
