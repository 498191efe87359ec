using System.Buffers;
using System.Globalization;
using System.Text.Json;

namespace Tracker.Server.Mlflow;

/// <summary>The parameters of an MLflow request: the JSON body of a POST or the query string of a GET.
/// Reads them the way protobuf JSON does: int64 as a number or a string, doubles also as "NaN"/"Infinity"
/// (and null, which some JavaScript clients send, as NaN).</summary>
internal sealed class MlflowArgs : IDisposable
{
    /// <summary>MLflow's limit on a request body (its log-batch limit, the largest of its requests).</summary>
    public const int MaxBodyBytes = 1024 * 1024;

    private readonly JsonDocument? _body;
    private readonly IQueryCollection? _query;

    private MlflowArgs(JsonDocument? body, IQueryCollection? query)
    {
        _body = body;
        _query = query;
    }

    public static async Task<MlflowArgs> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (HttpMethods.IsGet(request.Method) || HttpMethods.IsDelete(request.Method))
        {
            return new MlflowArgs(null, request.Query);
        }
        if (request.ContentLength > MaxBodyBytes)
        {
            throw MlflowException.Invalid($"Batched logging API requests must be at most {MaxBodyBytes} bytes; this one is {request.ContentLength}.");
        }
        var (buffer, length) = await Apis.LimitedBody.ReadAsync(request, MaxBodyBytes, cancellationToken);
        if (buffer is null)
        {
            throw MlflowException.Invalid($"Batched logging API requests must be at most {MaxBodyBytes} bytes.");
        }
        try
        {
            if (length == 0 || buffer.AsSpan(0, length).Trim(" \r\n\t"u8).IsEmpty)
            {
                return new MlflowArgs(JsonDocument.Parse("{}"), null);
            }
            JsonDocument document;
            try
            {
                // ParseValue copies into the document's own storage; Parse(memory) would keep reading the pooled
                // buffer after it is returned below.
                var reader = new Utf8JsonReader(buffer.AsSpan(0, length));
                document = JsonDocument.ParseValue(ref reader);
            }
            catch (JsonException e)
            {
                throw MlflowException.Invalid($"Malformed JSON request body: {e.Message}");
            }
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                document.Dispose();
                throw MlflowException.Invalid("The request body must be a JSON object.");
            }
            return new MlflowArgs(document, null);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>The JSON body's root; an empty object for a GET.</summary>
    public JsonElement Root => _body?.RootElement ?? default;

    public bool Has(string name) =>
        _body is not null ? _body.RootElement.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null : _query!.ContainsKey(name);

    public string? String(string name)
    {
        if (_body is null)
            return _query!.TryGetValue(name, out var q) && q.Count > 0 ? q[0] : null;
        if (!_body.RootElement.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null)
            return null;
        return v.ValueKind switch
        {
            JsonValueKind.String => v.GetString(),
            JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => v.GetRawText(),
            _ => throw MlflowException.Invalid($"Invalid value for parameter '{name}': expected a string."),
        };
    }

    public string Required(string name) =>
        String(name) is { Length: > 0 } s
            ? s
            : throw MlflowException.Invalid($"Missing value for required parameter '{name}'. See the API docs for more information about request parameters.");

    /// <summary><c>run_id</c>, or the deprecated <c>run_uuid</c>.</summary>
    public string RunId() =>
        String("run_id") is { Length: > 0 } id ? id
        : String("run_uuid") is { Length: > 0 } uuid ? uuid
        : throw MlflowException.Invalid("Missing value for required parameter 'run_id'. See the API docs for more information about request parameters.");

    public long? Int64(string name)
    {
        if (_body is null)
        {
            var s = String(name);
            return s is null ? null : ParseInt64(s, name);
        }
        return _body.RootElement.TryGetProperty(name, out var v) ? ReadInt64(v, name) : null;
    }

    public IReadOnlyList<string> Strings(string name)
    {
        if (_body is null)
        {
            return _query!.TryGetValue(name, out var q) ? q.Where(s => !string.IsNullOrEmpty(s)).Select(s => s!).ToList() : [];
        }
        if (!_body.RootElement.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null)
            return [];
        if (v.ValueKind == JsonValueKind.String)
            return [v.GetString()!];
        if (v.ValueKind != JsonValueKind.Array)
            throw MlflowException.Invalid($"Invalid value for parameter '{name}': expected a list of strings.");
        return v.EnumerateArray()
            .Select(e =>
                e.ValueKind switch
                {
                    JsonValueKind.String => e.GetString()!,
                    JsonValueKind.Number => e.GetRawText(),
                    _ => throw MlflowException.Invalid($"Invalid value for parameter '{name}': expected a list of strings."),
                }
            )
            .ToList();
    }

    /// <summary>A repeated message field (an array of objects), or an empty array.</summary>
    public JsonElement.ArrayEnumerator Objects(string name, out int count)
    {
        count = 0;
        if (_body is null || !_body.RootElement.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null)
        {
            return default;
        }
        if (v.ValueKind != JsonValueKind.Array)
            throw MlflowException.Invalid($"Invalid value for parameter '{name}': expected a list.");
        count = v.GetArrayLength();
        return v.EnumerateArray();
    }

    public static long? ReadInt64(JsonElement v, string name) =>
        v.ValueKind switch
        {
            JsonValueKind.Null => null,
            JsonValueKind.Number when v.TryGetInt64(out var n) => n,
            JsonValueKind.Number when v.TryGetDouble(out var d) && d == Math.Floor(d) && Math.Abs(d) < 9.2e18 => (long)d,
            JsonValueKind.String => ParseInt64(v.GetString()!, name),
            _ => throw MlflowException.Invalid($"Invalid value {v.GetRawText()} for parameter '{name}': expected an int64."),
        };

    public static double ReadDouble(JsonElement v, string name)
    {
        switch (v.ValueKind)
        {
            case JsonValueKind.Number:
                return v.GetDouble();
            case JsonValueKind.Null:
                return double.NaN;
            case JsonValueKind.String:
                var s = v.GetString()!;
                if (s == "NaN")
                    return double.NaN;
                if (s == "Infinity")
                    return double.PositiveInfinity;
                if (s == "-Infinity")
                    return double.NegativeInfinity;
                if (double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d))
                    return d;
                break;
        }
        throw MlflowException.Invalid($"Invalid value {v.GetRawText()} for parameter '{name}': expected a double.");
    }

    /// <summary>A string field of an entry of a repeated field (a metric, param or tag); an entry that is not a JSON
    /// object is an invalid parameter, not a server error.</summary>
    public static string? ReadString(JsonElement obj, string name) =>
        obj.ValueKind != JsonValueKind.Object
            ? throw MlflowException.Invalid($"Invalid value {Shorten(obj.GetRawText())} for an entry with '{name}': expected an object.")
        : obj.TryGetProperty(name, out var v)
            ? v.ValueKind switch
            {
                JsonValueKind.String => v.GetString(),
                JsonValueKind.Null => null,
                JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => v.GetRawText(),
                _ => throw MlflowException.Invalid($"Invalid value for parameter '{name}': expected a string."),
            }
        : null;

    private static string Shorten(string s) => s.Length > 64 ? s[..64] + "..." : s;

    private static long ParseInt64(string s, string name) =>
        long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n)
            ? n
            : throw MlflowException.Invalid($"Invalid value '{s}' for parameter '{name}': expected an int64.");

    public void Dispose() => _body?.Dispose();
}
