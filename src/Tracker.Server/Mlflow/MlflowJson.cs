using System.Buffers;
using System.Globalization;
using System.Text.Json;

namespace Tracker.Server.Mlflow;

/// <summary>Writes answers the way MLflow's server does (protobuf JSON with snake_case names, int64 as numbers,
/// non-finite doubles as "NaN"/"Infinity"/"-Infinity", unset fields and empty lists left out).</summary>
internal static class MlflowJson
{
    public static IResult Write(Action<Utf8JsonWriter> body)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }
        return TypedResults.Bytes(buffer.WrittenMemory.ToArray(), "application/json");
    }

    /// <summary>A JSON object written straight to the response as <paramref name="body"/> produces it (a large answer is
    /// never held whole): <paramref name="body"/> flushes the writer when it has written a chunk.</summary>
    public static IResult Stream(Func<Utf8JsonWriter, CancellationToken, Task> body) => new StreamedResult(body);

    /// <summary>The empty answer of most mutations: <c>{}</c>.</summary>
    public static IResult Empty { get; } = TypedResults.Bytes("{}"u8.ToArray(), "application/json");

    /// <summary>MLflow's error body; the HTTP status is the code's (<see cref="MlflowException.StatusFor"/>) unless given.</summary>
    public static IResult Error(string code, string message, int? status = null) => new ErrorResult(code, message, status);

    public static void WriteDouble(Utf8JsonWriter writer, string name, double value)
    {
        if (double.IsFinite(value))
        {
            writer.WriteNumber(name, value);
        }
        else
        {
            writer.WriteString(
                name,
                double.IsNaN(value) ? "NaN"
                    : value > 0 ? "Infinity"
                    : "-Infinity"
            );
        }
    }

    public static void WriteKeyValues(Utf8JsonWriter writer, string name, IEnumerable<KeyValuePair<string, string>> pairs)
    {
        var started = false;
        foreach (var (key, value) in pairs)
        {
            if (!started)
            {
                writer.WriteStartArray(name);
                started = true;
            }
            writer.WriteStartObject();
            writer.WriteString("key", key);
            writer.WriteString("value", value);
            writer.WriteEndObject();
        }
        if (started)
            writer.WriteEndArray();
    }

    public static string Id(long id) => id.ToString(CultureInfo.InvariantCulture);

    private sealed class StreamedResult(Func<Utf8JsonWriter, CancellationToken, Task> body) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.ContentType = "application/json";
            await using var writer = new Utf8JsonWriter(httpContext.Response.BodyWriter);
            writer.WriteStartObject();
            await body(writer, httpContext.RequestAborted);
            writer.WriteEndObject();
            await writer.FlushAsync(httpContext.RequestAborted);
        }
    }

    private sealed class ErrorResult(string code, string message, int? status) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.StatusCode = status ?? MlflowException.StatusFor(code);
            httpContext.Response.ContentType = "application/json";
            var buffer = new ArrayBufferWriter<byte>(128);
            using (var writer = new Utf8JsonWriter(buffer))
            {
                writer.WriteStartObject();
                writer.WriteString("error_code", code);
                writer.WriteString("message", message);
                writer.WriteEndObject();
            }
            return httpContext.Response.Body.WriteAsync(buffer.WrittenMemory).AsTask();
        }
    }
}
