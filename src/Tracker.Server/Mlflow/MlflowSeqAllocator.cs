using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Tracker.Server.Storage;

namespace Tracker.Server.Mlflow;

/// <summary>Sequence numbers for MLflow calls, which carry none: each call is a new batch numbered -1, -2, …
/// per run (native clients number from 0 up, so the ranges never meet). The counter starts from the smallest
/// seq stored in <c>run_batches</c>, so it survives restarts; a collision (another server, a lost cache entry)
/// shows up as a duplicate and the caller asks again after <see cref="Forget"/>.</summary>
internal sealed class MlflowSeqAllocator(IMemoryCache cache)
{
    public async ValueTask<long> NextAsync(TrackerDbContext db, string runId, CancellationToken cancellationToken)
    {
        var cacheKey = "mlflowseq:" + runId;
        if (!cache.TryGetValue(cacheKey, out StrongBox<long>? box) || box is null)
        {
            var min = await db.Batches.Where(b => b.RunId == runId && b.Seq < 0).MinAsync(b => (long?)b.Seq, cancellationToken) ?? 0;
            box = cache.GetOrCreate(cacheKey, e =>
            {
                e.SlidingExpiration = TimeSpan.FromMinutes(30);
                return new StrongBox<long>(min);
            })!;
        }
        return Interlocked.Decrement(ref box.Value);
    }

    public void Forget(string runId) => cache.Remove("mlflowseq:" + runId);
}
