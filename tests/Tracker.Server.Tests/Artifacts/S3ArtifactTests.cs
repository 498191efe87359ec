using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using Tracker.Sdk.Contracts;
using Tracker.Server.Artifacts;
using Tracker.TestSupport;
using static Tracker.Server.Tests.Artifacts.ArtifactHttp;

namespace Tracker.Server.Tests.Artifacts;

/// <summary>The same routes over the S3 backend, against npm <c>s3rver</c> on loopback; skipped (with the reason) when
/// s3rver cannot be installed or started here.</summary>
public sealed class S3ArtifactTests(S3rver s3) : IClassFixture<S3rver>
{
    [SkippableFact]
    public async Task Upload_download_range_delete_and_run_deletion_through_S3()
    {
        Skip.If(s3.Problem is not null, s3.Problem);
        await using var server = TrackerServer.Start(
            StoreKind.Sqlite,
            new Dictionary<string, string?>
            {
                ["Tracker:Artifacts:Store"] = "S3",
                ["Tracker:Artifacts:S3:ServiceUrl"] = s3.ServiceUrl,
                ["Tracker:Artifacts:S3:Bucket"] = "tracker-test",
                ["Tracker:Artifacts:S3:AccessKey"] = "S3RVER",
                ["Tracker:Artifacts:S3:SecretKey"] = "S3RVER",
            }
        );
        var http = server.CreateHttpClient();
        var client = server.CreateClient();
        var run = await client.CreateRunAsync("s3", new CreateRunRequest());
        var body = RandomBytes(20_000_000, 3); // past the 16 MiB part size: a multipart upload
        var stored = await PutOkAsync(http, run.Id, "models/model.bin", body, "step=3");
        await PutOkAsync(http, run.Id, "small.txt", "hello"u8.ToArray());

        Assert.Equal(body, await http.GetByteArrayAsync(Url(run.Id, "models/model.bin")));
        using var ranged = new HttpRequestMessage(HttpMethod.Get, Url(run.Id, "models/model.bin"));
        ranged.Headers.Range = new RangeHeaderValue(19_999_990, null);
        using var partial = await http.SendAsync(ranged);
        Assert.Equal(HttpStatusCode.PartialContent, partial.StatusCode);
        Assert.Equal(body.AsSpan(19_999_990).ToArray(), await partial.Content.ReadAsByteArrayAsync());

        using (var deleted = await http.DeleteAsync(Url(run.Id, "small.txt")))
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Single((await ListAsync(http, run.Id)).Artifacts);

        var store = server.Services.GetRequiredService<IBlobStore>();
        Assert.IsType<S3BlobStore>(store);
        var row = (await ListAsync(http, run.Id)).Artifacts[0];
        Assert.Equal(stored.Sha256, row.Sha256);
        await client.DeleteRunAsync(run.Id);
        // Nothing of the run is left in the bucket.
        var blobs = server.Services.GetRequiredService<ArtifactBlobs>();
        Assert.NotNull(blobs);
        using var s3Client = new Amazon.S3.AmazonS3Client(
            new Amazon.Runtime.BasicAWSCredentials("S3RVER", "S3RVER"),
            new Amazon.S3.AmazonS3Config
            {
                ServiceURL = s3.ServiceUrl,
                ForcePathStyle = true,
                AuthenticationRegion = "us-east-1",
            }
        );
        var left = await s3Client.ListObjectsV2Async(new Amazon.S3.Model.ListObjectsV2Request { BucketName = "tracker-test", Prefix = run.Id + "/" });
        Assert.Empty(left.S3Objects ?? []);
    }
}
