using System.Diagnostics.Metrics;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Tracker.Server.Telemetry;

/// <summary>Wires OpenTelemetry: the server's meter and activity source, ASP.NET Core's and the runtime's meters, the
/// Prometheus endpoint and the OTLP exporter (<c>Tracker:Telemetry</c>).</summary>
internal static class TelemetryRegistration
{
    /// <summary>The standard OpenTelemetry variable that also turns on the OTLP exporter.</summary>
    public const string OtlpEnvironmentVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>Registers <see cref="TrackerMetrics"/> always (instruments nobody listens to cost nothing) and the
    /// OpenTelemetry providers when telemetry is enabled.</summary>
    public static IServiceCollection AddTrackerTelemetry(this IServiceCollection services, TelemetryOptions options, IConfiguration configuration)
    {
        services.AddMetrics();
        services.AddSingleton<TrackerMetrics>();
        if (!options.Enabled)
            return services;

        var otlp = !string.IsNullOrWhiteSpace(options.OtlpEndpoint) ? options.OtlpEndpoint : configuration[OtlpEnvironmentVariable];
        var pushOtlp = !string.IsNullOrWhiteSpace(otlp);
        var endpoint = !string.IsNullOrWhiteSpace(options.OtlpEndpoint) ? new Uri(options.OtlpEndpoint) : null;
        var otel = services
            .AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("tracker-server", serviceVersion: typeof(TelemetryRegistration).Assembly.GetName().Version?.ToString()))
            .WithMetrics(m =>
            {
                m.AddMeter(
                    TrackerMetrics.MeterName,
                    "Microsoft.AspNetCore.Hosting",
                    "Microsoft.AspNetCore.Server.Kestrel",
                    "Microsoft.AspNetCore.Http.Connections",
                    "System.Runtime"
                );
                // A MeterProvider listens to every meter of a name in the process; a meter made by another host's
                // IMeterFactory (tests run several servers in one process) is that host's, not this one's.
                ((IDeferredMeterProviderBuilder)m).Configure(
                    (sp, b) =>
                    {
                        var own = sp.GetRequiredService<IMeterFactory>();
                        b.AddView(i => i.Meter.Scope is IMeterFactory f && !ReferenceEquals(f, own) ? MetricStreamConfiguration.Drop : null);
                    }
                );
                if (options.Prometheus)
                    m.AddPrometheusExporter();
                if (pushOtlp)
                    m.AddOtlpExporter(o => Point(o, endpoint));
            });
        if (pushOtlp)
        {
            // Traces are only worth recording when something receives them.
            otel.WithTracing(t =>
                t.AddSource(TrackerMetrics.MeterName)
                    .AddAspNetCoreInstrumentation(o => o.Filter = c => !c.Request.Path.StartsWithSegments("/metrics", StringComparison.Ordinal))
                    .AddOtlpExporter(o => Point(o, endpoint))
            );
        }
        return services;
    }

    /// <summary>Maps <c>/metrics</c> (anonymous, as Prometheus scrapes) when telemetry and the Prometheus exporter are on.</summary>
    public static IEndpointRouteBuilder MapTrackerTelemetry(this IEndpointRouteBuilder app, TelemetryOptions options)
    {
        if (options.Enabled && options.Prometheus)
        {
            app.MapPrometheusScrapingEndpoint("/metrics").AllowAnonymous();
        }
        return app;
    }

    private static void Point(OtlpExporterOptions o, Uri? endpoint)
    {
        // Without Tracker:Telemetry:OtlpEndpoint the exporter reads OTEL_EXPORTER_OTLP_ENDPOINT (and _PROTOCOL) itself.
        if (endpoint is not null)
            o.Endpoint = endpoint;
    }
}
