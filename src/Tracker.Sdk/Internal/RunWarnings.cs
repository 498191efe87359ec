using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Tracker.Sdk.Internal;

/// <summary>Where a run's warnings go: the logger, the callback, else standard error; each distinct topic once.</summary>
internal sealed partial class RunWarnings(ILogger? logger, Action<string>? callback)
{
    private readonly ConcurrentDictionary<string, byte> _said = new(StringComparer.Ordinal);

    /// <summary>Reports <paramref name="message"/> unless a warning on <paramref name="topic"/> was already reported.</summary>
    public void Once(string topic, string message)
    {
        if (_said.TryAdd(topic, 0))
            Warn(message);
    }

    /// <summary>Lets the next warning on <paramref name="topic"/> through again.</summary>
    public void Reset(string topic) => _said.TryRemove(topic, out _);

    /// <summary>Reports <paramref name="message"/>.</summary>
    public void Warn(string message)
    {
        if (logger is not null)
            LogWarning(logger, message);
        callback?.Invoke(message);
        if (logger is null && callback is null)
            Console.Error.WriteLine("tracker: " + message);
    }

    /// <summary>Reports an informational line (the logger's Information level; standard error otherwise).</summary>
    public void Info(string message)
    {
        if (logger is not null)
            LogInformation(logger, message);
        else if (callback is null)
            Console.Error.WriteLine("tracker: " + message);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Message}")]
    private static partial void LogWarning(ILogger logger, string message);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Message}")]
    private static partial void LogInformation(ILogger logger, string message);
}
