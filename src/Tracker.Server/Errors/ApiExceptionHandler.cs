using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Tracker.Server.Mlflow;

namespace Tracker.Server.Errors;

/// <summary>Turns the two kinds of exception that are not bugs into answers: a request that could not be bound
/// (<see cref="BadHttpRequestException"/>: a malformed query parameter, an unreadable body) is a 400 naming the
/// parameter, and a database outage is a 503 with <c>Retry-After</c>. Problem+json on the v1 API, MLflow's error body
/// on MLflow's paths. Anything else is left to the default handler (a 500 without details).</summary>
internal sealed partial class ApiExceptionHandler(IProblemDetailsService problems, ILogger<ApiExceptionHandler> logger) : IExceptionHandler
{
    /// <summary>Seconds a client is asked to wait before retrying during a database outage.</summary>
    public const int RetryAfterSeconds = 5;

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (httpContext.Response.HasStarted)
        {
            return false;
        }
        if (exception is BadHttpRequestException bad)
        {
            return await BadRequestAsync(httpContext, bad);
        }
        if (exception is Npgsql.PostgresException { SqlState: var state } && state.StartsWith("22", StringComparison.Ordinal))
        {
            // Class 22 (data exception): a value PostgreSQL cannot hold, such as a NUL character in text (22021).
            return await BadValueAsync(httpContext);
        }
        if (TransientDatabaseError.Is(exception))
        {
            LogDatabaseUnavailable(logger, httpContext.Request.Method, httpContext.Request.Path.Value ?? "/", exception.GetBaseException().Message);
            return await UnavailableAsync(httpContext);
        }
        return false;
    }

    private async ValueTask<bool> BadRequestAsync(HttpContext context, BadHttpRequestException exception)
    {
        var name = BadParameter.Name(exception);
        var status = exception.StatusCode is >= 400 and < 500 ? exception.StatusCode : StatusCodes.Status400BadRequest;
        context.Response.StatusCode = status;
        if (MlflowApi.IsMlflowPath(context.Request.Path))
        {
            var code = status == StatusCodes.Status413PayloadTooLarge ? MlflowException.RequestLimitExceeded : MlflowException.InvalidParameterValue;
            await MlflowJson
                .Error(code, name is null ? exception.Message : $"Invalid value for parameter '{name}': {exception.Message}", status)
                .ExecuteAsync(context);
            return true;
        }
        var field = name ?? (status == StatusCodes.Status413PayloadTooLarge ? "body" : "request");
        var problem = new HttpValidationProblemDetails(new Dictionary<string, string[]> { [field] = [exception.Message] })
        {
            Status = status,
            Title = status == StatusCodes.Status413PayloadTooLarge ? "Payload too large" : "The request is invalid.",
            Detail = $"{field}: {exception.Message}",
        };
        problem.Extensions["field"] = field;
        return await problems.TryWriteAsync(
            new ProblemDetailsContext
            {
                HttpContext = context,
                ProblemDetails = problem,
                Exception = exception,
            }
        );
    }

    private async ValueTask<bool> BadValueAsync(HttpContext context)
    {
        const string Detail = "A value in the request cannot be stored (for example a NUL character in a string).";
        context.Response.StatusCode = StatusCodes.Status400BadRequest;
        if (MlflowApi.IsMlflowPath(context.Request.Path))
        {
            await MlflowJson.Error(MlflowException.InvalidParameterValue, Detail).ExecuteAsync(context);
            return true;
        }
        var problem = new HttpValidationProblemDetails(new Dictionary<string, string[]> { ["request"] = [Detail] })
        {
            Status = StatusCodes.Status400BadRequest,
            Title = "The request is invalid.",
            Detail = Detail,
        };
        problem.Extensions["field"] = "request";
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem });
    }

    private async ValueTask<bool> UnavailableAsync(HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        context.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        const string Detail = "The database is unavailable (restarting, overloaded or busy); retry after the Retry-After delay.";
        if (MlflowApi.IsMlflowPath(context.Request.Path))
        {
            await MlflowJson.Error(MlflowException.TemporarilyUnavailable, Detail).ExecuteAsync(context);
            return true;
        }
        return await problems.TryWriteAsync(
            new ProblemDetailsContext
            {
                HttpContext = context,
                ProblemDetails = new ProblemDetails
                {
                    Status = StatusCodes.Status503ServiceUnavailable,
                    Title = "Service unavailable",
                    Detail = Detail,
                },
            }
        );
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Method} {Path}: database unavailable, answered 503 ({Reason})")]
    private static partial void LogDatabaseUnavailable(ILogger logger, string method, string path, string reason);
}
