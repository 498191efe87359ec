using System.Data.Common;
using Tracker.Server.Hosting;

namespace Tracker.Server.Storage;

/// <summary>Opens raw ADO.NET connections for the hot paths that bypass EF Core (ingest, chart queries).</summary>
internal interface ITrackerConnectionFactory
{
    DatabaseProvider Provider { get; }

    ValueTask<DbConnection> OpenAsync(CancellationToken cancellationToken);

    /// <summary>Where the data lives, for the start-up banner (no secrets).</summary>
    string Describe();
}
