using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Tracker.Server.Apis;

/// <summary>Reads a JSON body with the contracts' source-generated metadata and turns a bad body into a
/// problem that names the JSON path, instead of the framework's generic 400.</summary>
internal static class JsonBody
{
    public static async Task<(T? Value, Microsoft.AspNetCore.Http.HttpResults.ValidationProblem? Problem)> ReadAsync<T>(
        HttpRequest request,
        JsonTypeInfo<T> type,
        CancellationToken cancellationToken
    )
        where T : class
    {
        if (!request.HasJsonContentType())
        {
            return (null, ApiProblems.Field("Content-Type", "must be application/json"));
        }
        try
        {
            var value = await request.ReadFromJsonAsync(type, cancellationToken).ConfigureAwait(false);
            return value is null ? (null, ApiProblems.Field("$", "a JSON object is required")) : (value, null);
        }
        catch (JsonException e)
        {
            var path = string.IsNullOrEmpty(e.Path) ? "$" : e.Path;
            var message = e.Message;
            var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
            return (null, ApiProblems.Field(path, cut > 0 ? message[..cut] : message));
        }
    }
}
