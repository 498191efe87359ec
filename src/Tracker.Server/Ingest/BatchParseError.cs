namespace Tracker.Server.Ingest;

/// <summary>Why a batch body was rejected: the field (JSON path) and the problem, plus whether a limit was exceeded (413).</summary>
internal sealed record BatchParseError(string Field, string Message, bool TooLarge = false);
