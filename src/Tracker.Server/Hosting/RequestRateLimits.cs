using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Tracker.Server.Auth;
using Tracker.Server.Mlflow;

namespace Tracker.Server.Hosting;

/// <summary>ASP.NET Core's rate limiter on the API, MLflow and hub paths: a token bucket per API key for authenticated
/// requests, per remote address for the rest (no key, or an unknown one). It runs after authentication, so the
/// partition is the key's id, never the raw header: made-up keys share their address's bucket.</summary>
internal static class RequestRateLimits
{
    public static IServiceCollection AddTrackerRateLimits(this IServiceCollection services, RateLimitOptions options)
    {
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.OnRejected = (context, _) =>
                new ValueTask(
                    RejectAsync(
                        context.HttpContext,
                        context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromSeconds(1)
                    )
                );
            o.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context => Partition(context, options));
        });
        return services;
    }

    /// <summary>429 with <c>Retry-After</c> (whole seconds, at least 1): problem+json, or MLflow's
    /// <c>REQUEST_LIMIT_EXCEEDED</c> on MLflow's paths.</summary>
    public static Task RejectAsync(HttpContext context, TimeSpan retryAfter)
    {
        var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        var detail = $"Too many requests; retry after {seconds} s.";
        if (MlflowApi.IsMlflowPath(context.Request.Path))
        {
            return MlflowJson.Error(MlflowException.RequestLimitExceeded, detail).ExecuteAsync(context);
        }
        return TypedResults.Problem(detail: detail, statusCode: StatusCodes.Status429TooManyRequests, title: "Too many requests").ExecuteAsync(context);
    }

    private static RateLimitPartition<string> Partition(HttpContext context, RateLimitOptions options)
    {
        if (!options.Enabled || !IsLimited(context.Request.Path))
        {
            return RateLimitPartition.GetNoLimiter("");
        }
        if (context.User.FindFirst(TrackerClaims.KeyId)?.Value is { } keyId)
        {
            return Bucket("key:" + keyId, options.PerKeyPerSecond, options.PerKeyBurst);
        }
        return Bucket("address:" + (context.Connection.RemoteIpAddress?.ToString() ?? "unknown"), options.PerAddressPerSecond, options.PerAddressBurst);
    }

    private static RateLimitPartition<string> Bucket(string partition, int perSecond, int burst) =>
        RateLimitPartition.GetTokenBucketLimiter(partition, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = Math.Max(1, burst),
            TokensPerPeriod = Math.Max(1, perSecond),
            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
            QueueLimit = 0,
        });

    private static bool IsLimited(PathString path) =>
        path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase)
        || path.StartsWithSegments("/ajax-api", StringComparison.OrdinalIgnoreCase)
        || path.StartsWithSegments("/hubs", StringComparison.OrdinalIgnoreCase);
}
