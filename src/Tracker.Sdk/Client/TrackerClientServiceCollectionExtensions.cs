using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;

namespace Tracker.Sdk.Client;

/// <summary>Registers <see cref="TrackerClient"/> as a typed client of <see cref="IHttpClientFactory"/>.</summary>
public static class TrackerClientServiceCollectionExtensions
{
    /// <summary>Adds a typed <see cref="TrackerClient"/> with the SDK's retry policy; unset settings come from the environment and <c>~/.tracker/config</c>.</summary>
    public static IHttpClientBuilder AddTrackerClient(this IServiceCollection services, Action<TrackerClientOptions>? configure = null)
    {
        var options = services.AddOptions<TrackerClientOptions>();
        if (configure is not null)
            options.Configure(configure);
        var builder = services.AddHttpClient<TrackerClient>(
            (sp, http) =>
            {
                var o = sp.GetRequiredService<IOptions<TrackerClientOptions>>().Value;
                var config = TrackerConfig.Load();
                var url = o.BaseAddress
                    ?? FromText(Environment.GetEnvironmentVariable("TRACKER_URL"))
                    ?? FromText(config.Url)
                    ?? throw new InvalidOperationException("No Tracker URL: set TrackerClientOptions.BaseAddress, TRACKER_URL, or run `tracker login`.");
                var key = o.ApiKey ?? NonEmpty(Environment.GetEnvironmentVariable("TRACKER_API_KEY")) ?? config.ApiKey;
                http.BaseAddress = TrackerRetry.EnsureTrailingSlash(url);
                if (!string.IsNullOrEmpty(key))
                    http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
            }
        );
        builder.AddResilienceHandler("tracker", (pipeline, context) =>
        {
            var o = context.ServiceProvider.GetRequiredService<IOptions<TrackerClientOptions>>().Value;
            pipeline.AddRetry(TrackerRetry.Options(o.MaxRetryAttempts)).AddTimeout(o.AttemptTimeout);
        });
        return builder;
    }

    private static Uri? FromText(string? url) => string.IsNullOrWhiteSpace(url) ? null : new Uri(url, UriKind.Absolute);

    private static string? NonEmpty(string? s) => string.IsNullOrEmpty(s) ? null : s;
}
