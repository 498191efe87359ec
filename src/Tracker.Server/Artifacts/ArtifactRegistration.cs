using Tracker.Server.Hosting;
using Tracker.Server.Ingest;

namespace Tracker.Server.Artifacts;

/// <summary>Wires the artifact store: the configured blob backend, staging under the data directory, checkpoint retention.</summary>
internal static class ArtifactRegistration
{
    public static void AddTrackerArtifacts(this IHostApplicationBuilder builder, TrackerOptions tracker)
    {
        var options = builder.Configuration.GetSection(ArtifactOptions.Section).Get<ArtifactOptions>() ?? new ArtifactOptions();
        var root = Path.Combine(Path.GetFullPath(tracker.DataDir, builder.Environment.ContentRootPath), "artifacts");
        var services = builder.Services;
        services.AddSingleton(options);
        services.AddSingleton(new BlobStaging(Path.Combine(root, ".staging")));
        if (options.Store == BlobStoreKind.S3)
        {
            services.AddSingleton<IBlobStore>(_ => new S3BlobStore(options.S3));
        }
        else
        {
            services.AddSingleton<IBlobStore>(_ => new LocalBlobStore(Path.Combine(root, "blobs")));
        }
        services.AddSingleton<ArtifactBlobs>();
        services.AddSingleton<BestCheckpoints>();
        services.AddSingleton<CheckpointRetention>();
        services.AddSingleton<IIngestObserver>(sp => sp.GetRequiredService<CheckpointRetention>());
    }
}
