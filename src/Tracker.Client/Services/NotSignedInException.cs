namespace Tracker.Client.Services;

/// <summary>No API key is stored in this browser.</summary>
public sealed class NotSignedInException() : InvalidOperationException("Sign in with an API key first.");
