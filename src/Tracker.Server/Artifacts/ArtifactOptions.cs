namespace Tracker.Server.Artifacts;

/// <summary>The <c>Tracker:Artifacts</c> section: where blobs go and how much a run may store.</summary>
public sealed class ArtifactOptions
{
    /// <summary>Configuration section name.</summary>
    public const string Section = "Tracker:Artifacts";

    /// <summary>The blob backend: <c>Local</c> (files under <c>Tracker:DataDir/artifacts</c>, default) or <c>S3</c>.</summary>
    public BlobStoreKind Store { get; set; } = BlobStoreKind.Local;

    /// <summary>Largest single file, in bytes (default 8 GiB); a larger upload is refused with 413.</summary>
    public long MaxFileBytes { get; set; } = 8L << 30;

    /// <summary>Most bytes all the runs of one project may hold (default 200 GiB); an upload past it is refused with 413.</summary>
    public long MaxProjectBytes { get; set; } = 200L << 30;

    /// <summary>The S3-compatible store, when <see cref="Store"/> is <c>S3</c>.</summary>
    public S3StoreOptions S3 { get; set; } = new();
}

/// <summary>Which blob backend stores artifact bytes.</summary>
public enum BlobStoreKind
{
    /// <summary>Files under the data directory.</summary>
    Local,

    /// <summary>An S3-compatible object store (AWS S3, MinIO, Ceph, ...).</summary>
    S3,
}

/// <summary>The <c>Tracker:Artifacts:S3</c> section.</summary>
public sealed class S3StoreOptions
{
    /// <summary>Endpoint of an S3-compatible service, e.g. <c>http://127.0.0.1:9000</c>; empty for AWS itself.</summary>
    public string? ServiceUrl { get; set; }

    /// <summary>The bucket (created at start-up when missing).</summary>
    public string Bucket { get; set; } = "tracker-artifacts";

    /// <summary>Key prefix inside the bucket, e.g. <c>prod/</c>.</summary>
    public string Prefix { get; set; } = "";

    /// <summary>Region name (AWS; any value for most compatible stores).</summary>
    public string Region { get; set; } = "us-east-1";

    /// <summary>Access key id; empty to use the AWS SDK's default credential chain.</summary>
    public string? AccessKey { get; set; }

    /// <summary>Secret access key.</summary>
    public string? SecretKey { get; set; }

    /// <summary>Path-style addressing (<c>host/bucket/key</c>), which most self-hosted stores need (default on).</summary>
    public bool ForcePathStyle { get; set; } = true;
}
