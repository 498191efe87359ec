namespace Tracker.Server.Telemetry;

/// <summary>The <c>Tracker:Telemetry</c> section: OpenTelemetry metrics and traces.</summary>
public sealed class TelemetryOptions
{
    /// <summary>Whether the server collects and exports its metrics and traces at all (default on).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Whether the Prometheus scrape endpoint <c>/metrics</c> is mapped (default on).</summary>
    public bool Prometheus { get; set; } = true;

    /// <summary>OTLP endpoint (gRPC, e.g. <c>http://collector:4317</c>) that metrics and traces are pushed to; when empty,
    /// the standard <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> environment variable is used, and without either nothing is pushed.</summary>
    public string? OtlpEndpoint { get; set; }
}
