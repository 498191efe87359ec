using Microsoft.AspNetCore.Authorization;
using Tracker.Server.Auth;

namespace Tracker.Server.Mlflow;

/// <summary>MLflow's tracking REST API 2.0 under <c>/api/2.0/mlflow/</c> and <c>/ajax-api/2.0/mlflow/</c>, mapped
/// onto Tracker's model: an experiment is a project, a run a run, params are config entries, tags are tags/notes.</summary>
public static class MlflowApi
{
    private static readonly string[] Prefixes = ["/api/2.0/mlflow", "/ajax-api/2.0/mlflow"];

    /// <summary>Registers what the MLflow endpoints need (MLflow-shaped 401/403, seq allocation).</summary>
    public static IServiceCollection AddMlflowApi(this IServiceCollection services)
    {
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, MlflowAuthorizationResultHandler>();
        services.AddSingleton<MlflowSeqAllocator>();
        return services;
    }

    /// <summary>Maps the MLflow endpoints under both prefixes.</summary>
    public static IEndpointRouteBuilder MapMlflowApi(this IEndpointRouteBuilder app)
    {
        foreach (var prefix in Prefixes)
        {
            var mlflow = app.MapGroup(prefix).RequireAuthorization(TrackerClaims.ReadPolicy).AddEndpointFilter<MlflowErrorFilter>().ExcludeFromDescription();
            // Endpoint names are global: the ajax-api copies get their own.
            var name = prefix.StartsWith("/ajax", StringComparison.Ordinal) ? "MlflowAjax" : "Mlflow";
            MlflowExperimentsApi.Map(mlflow, name);
            MlflowRunsApi.Map(mlflow, name);
            MlflowMetricsApi.Map(mlflow, name);
            mlflow.Map("/{**path}", EndpointNotFound);
        }
        return app;
    }

    internal static bool IsMlflowPath(PathString path) =>
        path.StartsWithSegments(Prefixes[0], StringComparison.OrdinalIgnoreCase) || path.StartsWithSegments(Prefixes[1], StringComparison.OrdinalIgnoreCase);

    private static IResult EndpointNotFound(HttpRequest request) =>
        MlflowJson.Error(
            MlflowException.EndpointNotFound,
            $"No API endpoint {request.Method} {request.Path} (artifacts, models and datasets are not served by Tracker)."
        );
}
