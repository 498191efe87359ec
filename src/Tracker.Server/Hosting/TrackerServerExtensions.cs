using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;
using Scalar.AspNetCore;
using Tracker.Sdk.Contracts;
using Tracker.Server.Apis;
using Tracker.Server.Artifacts;
using Tracker.Server.Auth;
using Tracker.Server.Components;
using Tracker.Server.Experiments;
using Tracker.Server.Ingest;
using Tracker.Server.Mlflow;
using Tracker.Server.Queries;
using Tracker.Server.Replicas;
using Tracker.Server.Runs;
using Tracker.Server.Telemetry;

namespace Tracker.Server.Hosting;

/// <summary>The server's composition root: services, pipeline and start-up tasks.</summary>
public static partial class TrackerServerExtensions
{
    /// <summary>Largest message a browser may send a server circuit (512 KiB).</summary>
    public const long CircuitMessageLimit = 512 * 1024;

    /// <summary>Registers storage, authentication, the API, the dashboard and the background services.</summary>
    public static IHostApplicationBuilder AddTrackerServer(this IHostApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection(TrackerOptions.Section);
        var options = section.Get<TrackerOptions>() ?? new TrackerOptions();
        var services = builder.Services;
        services.Configure<TrackerOptions>(section);
        services.AddSingleton(TimeProvider.System);
        services.AddMemoryCache();
        services.AddProblemDetails();
        // Binding failures (?limit=y) throw in every environment, so that ApiExceptionHandler answers them as 400s
        // naming the parameter; without this, Production answers a bare 400 and Development a 500.
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddExceptionHandler<Errors.ApiExceptionHandler>();
        services.AddTrackerHealthChecks();
        services.AddTrackerRateLimits(options.RateLimits);
        services.AddTrackerTelemetry(options.Telemetry, builder.Configuration);
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, TrackerJsonContext.Default));
        services.ConfigureHttpJsonOptions(o =>
            o.SerializerOptions.NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals
        );

        builder.AddTrackerStorage(options);
        services.AddSingleton<Analysis.AnalysisSettings>();
        services.AddSingleton<Analysis.AnalyzerCache>();
        services.AddSingleton<Analysis.AnalyzerReplay>();
        services.AddSingleton<Analysis.SiblingReference>();
        services.AddSingleton<Analysis.VerdictStore>();
        services.AddSingleton<Analysis.AnalyzerHost>();
        // The run's analyzers see each batch first (their owner: this process, or the run's grain with replicas).
        services.AddSingleton<IIngestObserver>(sp => sp.GetRequiredService<Analysis.IRunAnalysis>());
        services.AddHostedService<Analysis.AnalysisFlusher>();
        services.AddSingleton<MetricIngestor>();
        services.AddSingleton<MetricQueries>();
        services.AddSingleton<ApiKeyStore>();
        services.AddSingleton<RunProjectLookup>();
        services.AddScoped<RunLifecycle>();
        services.AddScoped<AdminKeyBootstrapper>();
        services.AddSingleton<ExperimentSignal>();
        services.AddSingleton<ExperimentJobStore>();
        services.AddScoped<ExperimentLauncher>();
        services.AddSingleton<ExperimentCheckpoints>();
        // API-only replicas enqueue experiments but never run them: the worker (with its lease keepers and the recovery of
        // expired leases) starts only where the worker role is.
        if (options.EffectiveRoles.HasFlag(ServerRoles.Worker))
            services.AddHostedService<ExperimentWorker>();
        services.AddSingleton<CrashedRunSweeper>();
        services.AddHostedService(sp => sp.GetRequiredService<CrashedRunSweeper>());
        services.AddMlflowApi();
        builder.AddTrackerArtifacts(options);

        services
            .AddAuthentication(TrackerClaims.Scheme)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(TrackerClaims.Scheme, null)
            .AddBrowserSession();
        services
            .AddAuthorizationBuilder()
            .AddPolicy(TrackerClaims.ReadPolicy, p => p.RequireAuthenticatedUser())
            .AddPolicy(TrackerClaims.WritePolicy, p => p.RequireClaim(TrackerClaims.Scope, nameof(ApiKeyScope.Write), nameof(ApiKeyScope.Admin)))
            .AddPolicy(TrackerClaims.AdminPolicy, p => p.RequireClaim(TrackerClaims.Scope, nameof(ApiKeyScope.Admin)));

        services.AddOpenApi(o =>
            o.AddDocumentTransformer(
                (doc, _, _) =>
                {
                    doc.Info.Title = "Tracker API";
                    doc.Info.Description = "Runs, metrics and keys of the Tracker experiment tracker. Authenticate with 'Authorization: Bearer <api key>'.";
                    return Task.CompletedTask;
                }
            )
        );
        services
            .AddRazorComponents()
            // A server circuit serves the run page on a browser's first visit (RenderModes.Prerendered); its errors say
            // what failed in Development.
            .AddInteractiveServerComponents(o => o.DetailedErrors = builder.Environment.IsDevelopment())
            // The circuit's start carries the prerendered page's persisted state (the run page's chart sketches: up to
            // ~200 KB for 8 charts of several series), over SignalR's 32 KB default.
            .AddHubOptions(o => o.MaximumReceiveMessageSize = CircuitMessageLimit)
            .AddInteractiveWebAssemblyComponents();
        services.AddDashboardPrerendering();
        services.AddLiveDashboard();
        builder.AddTrackerReplicas(options);
        if (options.EffectiveRoles.HasFlag(ServerRoles.Api))
            services.AddHostedService<SignInPageWarmUp>();
        return builder;
    }

    /// <summary>Maps the REST API v1, health probes, OpenAPI document, API reference and the dashboard.</summary>
    public static WebApplication MapTracker(this WebApplication app)
    {
        var trackerOptions = app.Services.GetRequiredService<IOptions<TrackerOptions>>().Value;
        app.UseTrackerSecurityHeaders(trackerOptions.SecurityHeaders);
        if (app.Environment.IsDevelopment())
        {
            app.UseWebAssemblyDebugging();
        }
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseAuthentication();
        app.UseRateLimiter();
        app.UseAuthorization();
        app.UseAntiforgery();

        app.MapHealthApi();
        app.MapTrackerTelemetry(trackerOptions.Telemetry);
        if (!trackerOptions.EffectiveRoles.HasFlag(ServerRoles.Api))
            return app; // a worker-only replica serves its health probes and metrics, nothing that takes ingest
        var api = app.MapGroup("/api/v1").RequireAuthorization(TrackerClaims.ReadPolicy);
        api.MapProjectsApi().MapRunsApi().MapMetricsApi().MapKeysApi().MapExperimentsApi().MapAnalysisApi().MapArtifactsApi();
        app.MapMlflowApi();
        app.MapMlflowArtifactsApi();

        app.MapLiveDashboard();
        app.MapBrowserSession();
        app.MapOpenApi().AllowAnonymous();
        app.MapScalarApiReference().AllowAnonymous();
        app.MapStaticAssets();
        app.MapRazorComponents<App>()
            // Blazor's own `Content-Security-Policy: frame-ancestors 'self'` would replace the server's whole policy
            // (UseTrackerSecurityHeaders), which already says frame-ancestors.
            .AddInteractiveServerRenderMode(o => o.ContentSecurityFrameAncestorsPolicy = null)
            .AddInteractiveWebAssemblyRenderMode()
            .AddAdditionalAssemblies(typeof(Tracker.Client._Imports).Assembly);
        return app;
    }

    /// <summary>Migrates the database and makes sure an admin key exists; prints a generated key and the URL once.</summary>
    public static async Task InitializeTrackerAsync(this WebApplication app, CancellationToken cancellationToken = default)
    {
        string? generatedKey = null;
        // Replicas starting together migrate and seed the admin key one at a time (a PostgreSQL advisory lock).
        await DeploymentLock.RunAsync(
            app.Services,
            async ct =>
            {
                await app.Services.MigrateTrackerDatabaseAsync(ct);
                await using var scope = app.Services.CreateAsyncScope();
                generatedKey = await scope.ServiceProvider.GetRequiredService<AdminKeyBootstrapper>().EnsureAsync(ct);
            },
            cancellationToken
        );
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
                ?? "http://localhost:5000";
            address = address
                .Replace("://[::]", "://localhost", StringComparison.Ordinal)
                .Replace("://0.0.0.0", "://localhost", StringComparison.Ordinal)
                .Replace("://+", "://localhost", StringComparison.Ordinal);
            Console.WriteLine($"Tracker is running: open {address}/");
            Console.WriteLine($"Database: {app.Services.GetRequiredService<Storage.ITrackerConnectionFactory>().Describe()}");
            Console.WriteLine($"API reference: {address}/scalar/v1   OpenAPI: {address}/openapi/v1.json");
            if (generatedKey is not null)
            {
                Console.WriteLine($"Admin API key (shown once, keep it): {generatedKey}");
                Console.WriteLine($"Sign in to the dashboard: {address}/login?key={generatedKey}");
            }
        });
    }
}
