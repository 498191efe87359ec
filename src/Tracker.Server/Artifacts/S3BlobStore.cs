using System.Net;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;

namespace Tracker.Server.Artifacts;

/// <summary>Blobs in an S3-compatible bucket. A commit uploads the staged, already verified file (multipart above 16 MiB), so an object only ever appears whole; reads are ranged GETs.</summary>
internal sealed class S3BlobStore : IBlobStore, IDisposable
{
    private readonly AmazonS3Client _client;
    private const long PartSize = 16L << 20;
    private readonly S3StoreOptions _options;
    private readonly SemaphoreSlim _bucketGate = new(1, 1);
    private volatile bool _bucketReady;

    public S3BlobStore(S3StoreOptions options)
    {
        _options = options;
        var config = new AmazonS3Config
        {
            ForcePathStyle = options.ForcePathStyle,
            // Compatible stores rarely speak the newer flexible-checksum trailers; our own SHA-256 guards the bytes.
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        };
        if (!string.IsNullOrEmpty(options.ServiceUrl))
        {
            config.ServiceURL = options.ServiceUrl;
            config.AuthenticationRegion = options.Region;
        }
        else
        {
            config.RegionEndpoint = Amazon.RegionEndpoint.GetBySystemName(options.Region);
        }
        _client = string.IsNullOrEmpty(options.AccessKey)
            ? new AmazonS3Client(config)
            : new AmazonS3Client(new BasicAWSCredentials(options.AccessKey, options.SecretKey), config);
    }

    public string Describe() => $"S3 bucket '{_options.Bucket}' at {(_options.ServiceUrl is { Length: > 0 } url ? url : _options.Region)}";

    public async Task CommitAsync(string stagedFile, string key, long length, CancellationToken cancellationToken)
    {
        await EnsureBucketAsync(cancellationToken).ConfigureAwait(false);
        // Plain (not aws-chunked) bodies: compatible stores such as s3rver would otherwise keep the chunk framing as data.
        if (length <= PartSize)
        {
            await _client
                .PutObjectAsync(
                    new PutObjectRequest
                    {
                        BucketName = _options.Bucket,
                        Key = _options.Prefix + key,
                        FilePath = stagedFile,
                        UseChunkEncoding = false,
                    },
                    cancellationToken
                )
                .ConfigureAwait(false);
        }
        else
        {
            await UploadPartsAsync(stagedFile, _options.Prefix + key, length, cancellationToken).ConfigureAwait(false);
        }
        File.Delete(stagedFile);
    }

    /// <summary>A multipart upload, part by part; an incomplete upload is aborted (no object appears).</summary>
    private async Task UploadPartsAsync(string file, string key, long length, CancellationToken cancellationToken)
    {
        var started = await _client
            .InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest { BucketName = _options.Bucket, Key = key }, cancellationToken)
            .ConfigureAwait(false);
        try
        {
            var parts = new List<PartETag>();
            for (long position = 0, number = 1; position < length; position += PartSize, number++)
            {
                var part = await _client
                    .UploadPartAsync(
                        new UploadPartRequest
                        {
                            BucketName = _options.Bucket,
                            Key = key,
                            UploadId = started.UploadId,
                            PartNumber = (int)number,
                            FilePath = file,
                            FilePosition = position,
                            PartSize = Math.Min(PartSize, length - position),
                            UseChunkEncoding = false,
                        },
                        cancellationToken
                    )
                    .ConfigureAwait(false);
                parts.Add(new PartETag((int)number, part.ETag));
            }
            await _client
                .CompleteMultipartUploadAsync(
                    new CompleteMultipartUploadRequest
                    {
                        BucketName = _options.Bucket,
                        Key = key,
                        UploadId = started.UploadId,
                        PartETags = parts,
                    },
                    cancellationToken
                )
                .ConfigureAwait(false);
        }
        catch
        {
            await _client.AbortMultipartUploadAsync(_options.Bucket, key, started.UploadId, CancellationToken.None).ConfigureAwait(false);
            throw;
        }
    }

    public async Task<Stream?> OpenReadAsync(string key, long length, CancellationToken cancellationToken)
    {
        await EnsureBucketAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var head = await _client.GetObjectMetadataAsync(_options.Bucket, _options.Prefix + key, cancellationToken).ConfigureAwait(false);
            return new S3RangeStream(_client, _options.Bucket, _options.Prefix + key, head.ContentLength);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public async Task DeleteAsync(string key, CancellationToken cancellationToken)
    {
        await EnsureBucketAsync(cancellationToken).ConfigureAwait(false);
        await _client.DeleteObjectAsync(_options.Bucket, _options.Prefix + key, cancellationToken).ConfigureAwait(false);
    }

    public async Task DeletePrefixAsync(string prefix, CancellationToken cancellationToken)
    {
        await EnsureBucketAsync(cancellationToken).ConfigureAwait(false);
        var request = new ListObjectsV2Request { BucketName = _options.Bucket, Prefix = _options.Prefix + prefix };
        ListObjectsV2Response page;
        do
        {
            page = await _client.ListObjectsV2Async(request, cancellationToken).ConfigureAwait(false);
            foreach (var item in page.S3Objects ?? [])
            {
                await _client.DeleteObjectAsync(_options.Bucket, item.Key, cancellationToken).ConfigureAwait(false);
            }
            request.ContinuationToken = page.NextContinuationToken;
        } while (page.IsTruncated == true);
    }

    private async Task EnsureBucketAsync(CancellationToken cancellationToken)
    {
        if (_bucketReady)
            return;
        await _bucketGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_bucketReady)
                return;
            try
            {
                await _client.PutBucketAsync(new PutBucketRequest { BucketName = _options.Bucket }, cancellationToken).ConfigureAwait(false);
            }
            catch (AmazonS3Exception e) when (e.ErrorCode is "BucketAlreadyOwnedByYou" or "BucketAlreadyExists") { }
            _bucketReady = true;
        }
        finally
        {
            _bucketGate.Release();
        }
    }

    public void Dispose()
    {
        _client.Dispose();
        _bucketGate.Dispose();
    }
}
