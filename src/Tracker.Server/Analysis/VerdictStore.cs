using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Tracker.Analysis.Convergence;
using Tracker.Server.Storage;
using Tracker.Server.Storage.Entities;

namespace Tracker.Server.Analysis;

/// <summary>Stores a run's new verdict: the snapshot and its summary columns on the run row, and one <c>verdict</c> event
/// per change, in one transaction.</summary>
internal sealed class VerdictStore(IServiceScopeFactory scopes, TimeProvider time)
{
    /// <summary>Writes the verdict; returns false when the run was deleted meanwhile (nothing written).</summary>
    public async Task<bool> SaveAsync(string runId, AnalysisSnapshot snapshot, IReadOnlyList<VerdictChange> changes, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TrackerDbContext>();
        // The verdict and its events commit together: a reader never sees one without the other.
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var updated = await db
            .Runs.Where(r => r.Id == runId)
            .ExecuteUpdateAsync(
                s =>
                    s.SetProperty(r => r.PatternLabel, snapshot.Pattern.Label)
                        .SetProperty(r => r.PatternConfidence, snapshot.Pattern.Confidence)
                        .SetProperty(r => r.ShouldStop, snapshot.Advice.ShouldStop)
                        .SetProperty(r => r.AdviceReason, snapshot.Advice.Reason)
                        .SetProperty(r => r.BestStep, snapshot.Advice.BestStep)
                        .SetProperty(r => r.UpdatedMs, now) // a new verdict is an update: listings filtered by updatedSince see it
                        .SetProperty(r => r.AnalysisJson, JsonSerializer.Serialize(snapshot, AnalysisStorageJsonContext.Default.AnalysisSnapshot)),
                cancellationToken
            )
            .ConfigureAwait(false);
        if (updated == 0)
            return false;
        foreach (var change in changes)
        {
            db.Events.Add(
                new RunEventEntity
                {
                    RunId = runId,
                    TimeMs = now,
                    Kind = "verdict",
                    FromValue = change.From,
                    ToValue = change.To,
                    Message = $"{change.Kind}: {change.Message}",
                }
            );
        }
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }
}
