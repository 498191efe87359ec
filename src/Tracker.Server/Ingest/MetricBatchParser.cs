using System.Buffers;
using System.Text.Json;
using Tracker.Sdk.Contracts;

namespace Tracker.Server.Ingest;

/// <summary>Parses <c>{"seq": n, "points": [{key, step, value, time?}, ...]}</c> straight into a <see cref="MetricBatch"/>:
/// no object per point, keys interned, each error naming its JSON path.</summary>
internal static class MetricBatchParser
{
    private const int MaxKeyBytes = MetricKeyRule.MaxLength * 4;

    public static BatchParseError? Parse(ReadOnlySpan<byte> json, int maxPoints, long nowMs, MetricBatch batch)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow, MaxDepth = 8 });
        try
        {
            return ParseCore(ref reader, maxPoints, nowMs, batch);
        }
        catch (JsonException e)
        {
            return new BatchParseError("$", $"malformed JSON at byte {reader.BytesConsumed}: {e.Message}");
        }
    }

    private static BatchParseError? ParseCore(ref Utf8JsonReader reader, int maxPoints, long nowMs, MetricBatch batch)
    {
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return new BatchParseError("$", "the body must be a JSON object {\"seq\": n, \"points\": [...]}");
        }
        var seenSeq = false;
        var seenPoints = false;
        while (Read(ref reader) && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("seq"u8))
            {
                Read(ref reader);
                if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt64(out var seq) || seq < 0)
                {
                    return new BatchParseError("seq", "must be a non-negative integer");
                }
                batch.Seq = seq;
                seenSeq = true;
            }
            else if (reader.ValueTextEquals("points"u8))
            {
                Read(ref reader);
                if (reader.TokenType != JsonTokenType.StartArray)
                {
                    return new BatchParseError("points", "must be an array of {key, step, value, time?}");
                }
                var error = ParsePoints(ref reader, maxPoints, nowMs, batch);
                if (error is not null)
                {
                    return error;
                }
                seenPoints = true;
            }
            else
            {
                Read(ref reader);
                reader.Skip();
            }
        }
        if (reader.TokenType != JsonTokenType.EndObject)
        {
            return new BatchParseError("$", "malformed JSON object");
        }
        if (!seenSeq)
        {
            return new BatchParseError("seq", "is required: a per-run batch sequence number that makes retries safe");
        }
        return seenPoints ? null : new BatchParseError("points", "is required");
    }

    private static BatchParseError? ParsePoints(ref Utf8JsonReader reader, int maxPoints, long nowMs, MetricBatch batch)
    {
        Span<char> keyChars = stackalloc char[MaxKeyBytes];
        var index = 0;
        while (Read(ref reader) && reader.TokenType != JsonTokenType.EndArray)
        {
            if (index >= maxPoints)
            {
                return new BatchParseError("points", $"a batch holds at most {maxPoints} points", TooLarge: true);
            }
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                return new BatchParseError($"points[{index}]", "must be an object {key, step, value, time?}");
            }
            var keyId = -1;
            long step = 0,
                time = nowMs;
            double value = 0;
            bool hasStep = false,
                hasValue = false;
            while (Read(ref reader) && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("key"u8))
                {
                    Read(ref reader);
                    if (reader.TokenType != JsonTokenType.String)
                    {
                        return new BatchParseError($"points[{index}].key", "must be a string");
                    }
                    if (!reader.HasValueSequence && !reader.ValueIsEscaped && (keyId = batch.FindKeyUtf8(reader.ValueSpan)) >= 0)
                    {
                        continue; // the same bytes as a key already validated and interned in this batch
                    }
                    var byteLength = reader.HasValueSequence ? reader.ValueSequence.Length : reader.ValueSpan.Length;
                    if (byteLength > MaxKeyBytes)
                    {
                        return new BatchParseError($"points[{index}].key", $"is longer than {MetricKeyRule.MaxLength} characters");
                    }
                    var n = reader.CopyString(keyChars);
                    var key = keyChars[..n];
                    var problem = MetricKeyRule.Check(key);
                    if (problem is not null)
                    {
                        return new BatchParseError($"points[{index}].key", problem);
                    }
                    keyId = batch.InternKey(key);
                    if (!reader.HasValueSequence && !reader.ValueIsEscaped)
                        batch.RememberKeyUtf8(reader.ValueSpan, keyId);
                }
                else if (reader.ValueTextEquals("step"u8))
                {
                    Read(ref reader);
                    if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt64(out step) || step < 0)
                    {
                        return new BatchParseError($"points[{index}].step", "must be a non-negative integer");
                    }
                    hasStep = true;
                }
                else if (reader.ValueTextEquals("value"u8))
                {
                    Read(ref reader);
                    if (!TryReadDouble(ref reader, out value))
                    {
                        return new BatchParseError($"points[{index}].value", "must be a number or one of \"NaN\", \"Infinity\", \"-Infinity\"");
                    }
                    hasValue = true;
                }
                else if (reader.ValueTextEquals("time"u8))
                {
                    Read(ref reader);
                    if (reader.TokenType == JsonTokenType.Null)
                    {
                        continue;
                    }
                    if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt64(out time) || time < 0)
                    {
                        return new BatchParseError($"points[{index}].time", "must be epoch milliseconds (a non-negative integer)");
                    }
                }
                else
                {
                    Read(ref reader);
                    reader.Skip();
                }
            }
            if (keyId < 0)
            {
                return new BatchParseError($"points[{index}].key", "is required");
            }
            if (!hasStep)
            {
                return new BatchParseError($"points[{index}].step", "is required");
            }
            if (!hasValue)
            {
                return new BatchParseError($"points[{index}].value", "is required");
            }
            batch.Add(keyId, step, value, time);
            index++;
        }
        return null;
    }

    private static bool TryReadDouble(ref Utf8JsonReader reader, out double value)
    {
        if (reader.TokenType == JsonTokenType.Number)
        {
            return reader.TryGetDouble(out value);
        }
        value = 0;
        if (reader.TokenType != JsonTokenType.String)
        {
            return false;
        }
        if (reader.ValueTextEquals("NaN"u8))
        {
            value = double.NaN;
        }
        else if (reader.ValueTextEquals("Infinity"u8))
        {
            value = double.PositiveInfinity;
        }
        else if (reader.ValueTextEquals("-Infinity"u8))
        {
            value = double.NegativeInfinity;
        }
        else
        {
            return false;
        }
        return true;
    }

    private static bool Read(ref Utf8JsonReader reader)
    {
        if (!reader.Read())
        {
            throw new JsonException("unexpected end of the body");
        }
        return true;
    }
}
