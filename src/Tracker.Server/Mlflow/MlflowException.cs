namespace Tracker.Server.Mlflow;

/// <summary>An MLflow error: answered as <c>{"error_code": ..., "message": ...}</c> with the code's HTTP status
/// by <see cref="MlflowErrorFilter"/>. Thrown only on the error path, never for control flow of a good request.</summary>
internal sealed class MlflowException(string errorCode, string message) : Exception(message)
{
    public const string ResourceDoesNotExist = "RESOURCE_DOES_NOT_EXIST";
    public const string InvalidParameterValue = "INVALID_PARAMETER_VALUE";
    public const string ResourceAlreadyExists = "RESOURCE_ALREADY_EXISTS";
    public const string Unauthenticated = "UNAUTHENTICATED";
    public const string PermissionDenied = "PERMISSION_DENIED";
    public const string RequestLimitExceeded = "REQUEST_LIMIT_EXCEEDED";
    public const string InvalidState = "INVALID_STATE";
    public const string EndpointNotFound = "ENDPOINT_NOT_FOUND";
    public const string TemporarilyUnavailable = "TEMPORARILY_UNAVAILABLE";

    public string ErrorCode { get; } = errorCode;

    /// <summary>The HTTP status MLflow's server answers with for <see cref="ErrorCode"/>.</summary>
    public int StatusCode => StatusFor(ErrorCode);

    public static int StatusFor(string errorCode) =>
        errorCode switch
        {
            ResourceDoesNotExist or EndpointNotFound => StatusCodes.Status404NotFound,
            Unauthenticated => StatusCodes.Status401Unauthorized,
            PermissionDenied => StatusCodes.Status403Forbidden,
            RequestLimitExceeded => StatusCodes.Status429TooManyRequests,
            TemporarilyUnavailable => StatusCodes.Status503ServiceUnavailable,
            _ => StatusCodes.Status400BadRequest,
        };

    public static MlflowException Invalid(string message) => new(InvalidParameterValue, message);

    public static MlflowException NotFound(string message) => new(ResourceDoesNotExist, message);

    public static MlflowException Denied(string message) => new(PermissionDenied, message);
}
