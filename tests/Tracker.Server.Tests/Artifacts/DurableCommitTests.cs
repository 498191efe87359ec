using Tracker.Server.Artifacts;
using Tracker.TestSupport;

namespace Tracker.Server.Tests.Artifacts;

/// <summary>The local blob store's commit: fsync of the staged file, rename, fsync of the folder (a new run folder's
/// parent too); the folder sync is a real system call that fails on a missing folder.</summary>
public sealed class DurableCommitTests
{
    [Fact]
    public async Task A_commit_into_a_new_run_folder_moves_the_whole_file_and_leaves_no_staged_copy()
    {
        var root = TestFolders.Create("blobs-");
        var staged = Path.Combine(root, "staged.tmp");
        var bytes = new byte[3 * 1024 * 1024 + 5];
        new Random(3).NextBytes(bytes);
        await File.WriteAllBytesAsync(staged, bytes);
        var store = new LocalBlobStore(Path.Combine(root, "store"));

        await store.CommitAsync(staged, "run-1/upload-1", bytes.Length, CancellationToken.None);
        await store.CommitAsync(await WriteAsync(root, [9]), "run-1/upload-2", 1, CancellationToken.None);

        Assert.False(File.Exists(staged));
        Assert.Equal(bytes, await File.ReadAllBytesAsync(Path.Combine(root, "store", "run-1", "upload-1")));
        Assert.Equal([9], await File.ReadAllBytesAsync(Path.Combine(root, "store", "run-1", "upload-2")));
        Directory.Delete(root, recursive: true);
    }

    [Fact]
    public void Folder_sync_calls_fsync_and_reports_a_failure()
    {
        var root = TestFolders.Create("blobs-");
        DurableFiles.FlushFolder(root);
        DurableFiles.FlushFile(WriteSync(root));
        Assert.Throws<IOException>(() => DurableFiles.FlushFolder(Path.Combine(root, "missing")));
        Directory.Delete(root, recursive: true);
    }

    private static string WriteSync(string root)
    {
        var file = Path.Combine(root, "f");
        File.WriteAllBytes(file, [1]);
        return file;
    }

    private static async Task<string> WriteAsync(string root, byte[] bytes)
    {
        var file = Path.Combine(root, Guid.NewGuid().ToString("N"));
        await File.WriteAllBytesAsync(file, bytes);
        return file;
    }
}
