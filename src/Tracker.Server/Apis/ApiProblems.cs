using Microsoft.AspNetCore.Http.HttpResults;

namespace Tracker.Server.Apis;

/// <summary>RFC 7807 answers that name the field at fault.</summary>
internal static class ApiProblems
{
    public static ValidationProblem Field(string field, string message) =>
        TypedResults.ValidationProblem(
            new Dictionary<string, string[]> { [field] = [message] },
            detail: $"{field}: {message}",
            title: "The request is invalid."
        );

    public static ProblemHttpResult NotFound(string detail) =>
        TypedResults.Problem(detail: detail, statusCode: StatusCodes.Status404NotFound, title: "Not found");

    public static ProblemHttpResult Conflict(string field, string detail) =>
        TypedResults.Problem(
            detail: detail,
            statusCode: StatusCodes.Status409Conflict,
            title: "Conflict",
            extensions: new Dictionary<string, object?> { ["field"] = field }
        );

    public static ProblemHttpResult TooLarge(string field, string detail) =>
        TypedResults.Problem(
            detail: detail,
            statusCode: StatusCodes.Status413PayloadTooLarge,
            title: "Payload too large",
            extensions: new Dictionary<string, object?> { ["field"] = field }
        );

    public static ProblemHttpResult TooManyRequests(string field, string detail) =>
        TypedResults.Problem(
            detail: detail,
            statusCode: StatusCodes.Status429TooManyRequests,
            title: "Too many requests",
            extensions: new Dictionary<string, object?> { ["field"] = field }
        );

    public static ProblemHttpResult Forbidden(string detail) =>
        TypedResults.Problem(
            detail: detail,
            statusCode: StatusCodes.Status403Forbidden,
            title: "Forbidden",
            extensions: new Dictionary<string, object?> { ["field"] = "Authorization" }
        );
}
