using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Tracker.Sdk.Contracts;
using Tracker.Server.Hosting;
using Tracker.Server.Storage;
using Tracker.Server.Storage.Entities;

namespace Tracker.Server.Auth;

/// <summary>Makes sure an admin key exists: the configured <c>Tracker:AdminKey</c>, or one generated at first start.
/// The configured key is stored as the row <see cref="ConfiguredKeyId"/>; a start without the setting deletes that row.</summary>
internal sealed class AdminKeyBootstrapper(TrackerDbContext db, IOptions<TrackerOptions> options, TimeProvider time)
{
    public const string ConfiguredKeyId = "configured-admin";

    /// <summary>Returns the generated key when one was just created (to print once), else null.</summary>
    public async Task<string?> EnsureAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        if (options.Value.AdminKey is { Length: > 0 } configured)
        {
            var hash = ApiKeySecrets.Hash(configured);
            var row = await db.ApiKeys.FirstOrDefaultAsync(k => k.Id == ConfiguredKeyId, cancellationToken).ConfigureAwait(false);
            if (row is null)
            {
                db.ApiKeys.Add(
                    new ApiKeyEntity
                    {
                        Id = ConfiguredKeyId,
                        Hash = hash,
                        Name = "Tracker:AdminKey",
                        Scope = ApiKeyScope.Admin,
                        CreatedMs = now,
                    }
                );
            }
            else
            {
                row.Hash = hash;
                row.Scope = ApiKeyScope.Admin;
            }
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            return null;
        }
        // No key configured: a key that an earlier start took from Tracker:AdminKey is retired, so removing the setting
        // revokes the key (it would otherwise stay valid for ever as a stored row).
        await db.ApiKeys.Where(k => k.Id == ConfiguredKeyId).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
        if (await db.ApiKeys.AnyAsync(k => k.Scope == ApiKeyScope.Admin, cancellationToken).ConfigureAwait(false))
        {
            return null;
        }
        var (id, key) = ApiKeySecrets.Create();
        db.ApiKeys.Add(
            new ApiKeyEntity
            {
                Id = id,
                Hash = ApiKeySecrets.Hash(key),
                Name = "first-start admin",
                Scope = ApiKeyScope.Admin,
                CreatedMs = now,
            }
        );
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return key;
    }
}
