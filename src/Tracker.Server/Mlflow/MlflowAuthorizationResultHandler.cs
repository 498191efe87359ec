using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Tracker.Server.Auth;
using Tracker.Server.Hosting;

namespace Tracker.Server.Mlflow;

/// <summary>Answers 401/403 on MLflow's paths with MLflow's error body (UNAUTHENTICATED / PERMISSION_DENIED)
/// instead of our problem+json; every other path keeps the default behaviour.</summary>
internal sealed class MlflowAuthorizationResultHandler : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (MlflowApi.IsMlflowPath(context.Request.Path))
        {
            if (authorizeResult.Challenged && ApiKeyAuthenticationHandler.IsThrottled(context))
            {
                return RequestRateLimits.RejectAsync(context, TimeSpan.FromSeconds(1));
            }
            if (authorizeResult.Challenged)
            {
                context.Response.Headers.WWWAuthenticate = "Bearer, Basic realm=\"tracker\"";
                return MlflowJson
                    .Error(
                        MlflowException.Unauthenticated,
                        "Send a Tracker API key as MLFLOW_TRACKING_TOKEN (Authorization: Bearer) or as MLFLOW_TRACKING_PASSWORD (basic auth); it was missing or unknown."
                    )
                    .ExecuteAsync(context);
            }
            if (authorizeResult.Forbidden)
            {
                return MlflowJson
                    .Error(MlflowException.PermissionDenied, $"This API key may not {context.Request.Method} {context.Request.Path}: it needs the write scope.")
                    .ExecuteAsync(context);
            }
        }
        return _default.HandleAsync(next, context, policy, authorizeResult);
    }
}
