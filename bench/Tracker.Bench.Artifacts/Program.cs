using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using Tracker.Bench.Artifacts;

// Usage: dotnet run -c Release --project bench/Tracker.Bench.Artifacts -- [--mib N] [--rounds N] [--dir DIR]
// Prints one figure per line: cp, upload and download of the same file (page cache warm for all three), and the server's
// working set before and at its peak during the transfers. Starts the Release server (SQLite, local blob store) itself.
int Arg(string name, int fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
}
var mib = Arg("--mib", 1024);
var rounds = Arg("--rounds", 2);
var dirIndex = Array.IndexOf(args, "--dir");
var root =
    dirIndex >= 0
        ? Directory.CreateDirectory(Path.Combine(args[dirIndex + 1], $"tracker-bench-artifacts-{Guid.NewGuid():N}")).FullName
        : Directory.CreateTempSubdirectory("tracker-bench-artifacts-").FullName;
const string Key = "bench_admin_key_0123456789";
try
{
    var source = Path.Combine(root, "source.bin");
    await WriteRandomFileAsync(source, (long)mib << 20);
    var bytes = new FileInfo(source).Length;
    Console.WriteLine($"file_bytes={bytes} rounds={rounds} dir={root}");

    var cp = new List<double>();
    for (var r = 0; r < rounds; r++)
    {
        var target = Path.Combine(root, "cp.bin");
        var watch = Stopwatch.StartNew();
        using (var process = Process.Start("cp", [source, target]))
            await process.WaitForExitAsync();
        cp.Add(watch.Elapsed.TotalSeconds);
        File.Delete(target);
    }

    await using var server = await ServerProcess.StartAsync(Path.Combine(root, "server"), Key);
    using var http = new HttpClient { BaseAddress = server.BaseAddress, Timeout = Timeout.InfiniteTimeSpan };
    http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Key);
    using var created = await http.PostAsync("api/v1/projects/bench/runs/", new StringContent("{}", Encoding.UTF8, "application/json"));
    created.EnsureSuccessStatusCode();
    var runId = System.Text.Json.JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;
    // Warm-up: one small transfer each way, so JIT and pools are in the baseline.
    await UploadAsync(http, runId, "warmup.bin", new MemoryStream(new byte[4 << 20]));
    await DownloadAsync(http, runId, "warmup.bin", Stream.Null);
    await Task.Delay(500);
    var baseline = server.WorkingSetBytes;
    using var sampler = new WorkingSetSampler(server);

    var up = new List<double>();
    var down = new List<double>();
    for (var r = 0; r < rounds; r++)
    {
        await using (var file = new FileStream(source, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0))
        {
            var watch = Stopwatch.StartNew();
            await UploadAsync(http, runId, "big.bin", file);
            up.Add(watch.Elapsed.TotalSeconds);
        }
        var target = Path.Combine(root, "download.bin");
        await using (var file = new FileStream(target, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 0))
        {
            var watch = Stopwatch.StartNew();
            await DownloadAsync(http, runId, "big.bin", file);
            down.Add(watch.Elapsed.TotalSeconds);
        }
        if (new FileInfo(target).Length != bytes)
            throw new InvalidOperationException("download length differs");
        File.Delete(target);
    }
    var peak = sampler.Stop();

    double MBps(double seconds) => bytes / seconds / 1e6;
    Console.WriteLine($"cp_s={Median(cp):F3} cp_MBps={MBps(Median(cp)):F0}");
    Console.WriteLine($"upload_s={Median(up):F3} upload_MBps={MBps(Median(up)):F0} upload_vs_cp={Median(cp) / Median(up) * 100:F0}%");
    Console.WriteLine($"download_s={Median(down):F3} download_MBps={MBps(Median(down)):F0} download_vs_cp={Median(cp) / Median(down) * 100:F0}%");
    Console.WriteLine(
        $"all_cp_s={string.Join(',', cp.Select(F))} all_upload_s={string.Join(',', up.Select(F))} all_download_s={string.Join(',', down.Select(F))}"
    );
    Console.WriteLine($"server_ws_baseline_MB={baseline / 1e6:F1} server_ws_peak_MB={peak / 1e6:F1} server_ws_growth_MB={(peak - baseline) / 1e6:F1}");
}
finally
{
    Directory.Delete(root, recursive: true);
}

static string F(double s) => s.ToString("F3", CultureInfo.InvariantCulture);

static double Median(List<double> values)
{
    var sorted = values.Order().ToList();
    return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
}

static async Task UploadAsync(HttpClient http, string runId, string path, Stream body)
{
    using var content = new StreamContent(body, 1 << 20);
    content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
    content.Headers.ContentLength = body.Length;
    using var response = await http.PutAsync($"api/v1/runs/{runId}/artifacts/{path}", content);
    if (!response.IsSuccessStatusCode)
        throw new InvalidOperationException($"upload: {response.StatusCode} {await response.Content.ReadAsStringAsync()}");
}

static async Task DownloadAsync(HttpClient http, string runId, string path, Stream target)
{
    using var response = await http.GetAsync($"api/v1/runs/{runId}/artifacts/{path}", HttpCompletionOption.ResponseHeadersRead);
    response.EnsureSuccessStatusCode();
    await using var stream = await response.Content.ReadAsStreamAsync();
    await stream.CopyToAsync(target, 1 << 20);
}

static async Task WriteRandomFileAsync(string path, long length)
{
    var buffer = new byte[1 << 20];
    var random = new Random(1);
    await using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 0);
    for (long written = 0; written < length; written += buffer.Length)
    {
        random.NextBytes(buffer);
        await file.WriteAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, length - written)));
    }
}
