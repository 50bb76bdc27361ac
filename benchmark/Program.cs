using System.Diagnostics;
using System.Text.Json;
using Pulumi;
using Pulumi.Testing;
using PortsipInfra;
using PortsipInfra.Benchmark;

// Evaluates the program under Pulumi's test engine (mocks, no deployment) for sites of growing size and
// prints the time and the peak memory of each. Each size runs in a fresh process so that its peak memory is
// its own.
//   dotnet run -c Release --project benchmark            all sizes
//   dotnet run -c Release --project benchmark -- 500     one size, in this process

if (args.Length == 1 && int.TryParse(args[0], out var size))
{
    var config = SyntheticSite.Config(size, "benchmark-key-not-a-secret");
    Environment.SetEnvironmentVariable("PULUMI_CONFIG", JsonSerializer.Serialize(config));
    var clock = Stopwatch.StartNew();
    var resources = await Deployment.TestAsync<SiteStack>(new EchoMocks(), new TestOptions { ProjectName = SyntheticSite.Project, IsPreview = true });
    clock.Stop();
    Console.WriteLine($"{size} {resources.Length} {clock.Elapsed.TotalMilliseconds:F0} {PeakMegabytes():F0}");
    return 0;
}

int[] sizes = [1, 10, 100, 500];
Console.WriteLine("extended servers | resources | time (ms) | peak memory (MB)");
Console.WriteLine("---------------- | --------- | --------- | ----------------");
var results = new List<(int Size, double Ms, double Mb)>();
foreach (var n in sizes)
{
    var self = Environment.ProcessPath!;
    var dll = typeof(SyntheticSite).Assembly.Location;
    var psi = self.EndsWith("dotnet") ? new ProcessStartInfo(self, [dll, n.ToString()]) : new ProcessStartInfo(self, [n.ToString()]);
    psi.RedirectStandardOutput = true;
    using var child = Process.Start(psi)!;
    var line = child.StandardOutput.ReadToEnd().Trim().Split('\n').Last().Split(' ');
    child.WaitForExit();
    if (child.ExitCode != 0 || line.Length != 4)
    {
        Console.Error.WriteLine($"size {n} failed (exit {child.ExitCode})");
        return 1;
    }
    results.Add((n, double.Parse(line[2]), double.Parse(line[3])));
    Console.WriteLine($"{n,16} | {line[1],9} | {line[2],9} | {line[3],16}");
}
var largest = results[^1];
Console.WriteLine();
Console.WriteLine($"target at 500: under 2000 ms and 250 MB -> {(largest.Ms < 2000 && largest.Mb < 250 ? "met" : "NOT met")}");
var perServer100 = (results[2].Ms - results[0].Ms) / 99;
var perServer500 = (results[3].Ms - results[2].Ms) / 400;
Console.WriteLine($"time per extended server: {perServer100:F2} ms (1->100), {perServer500:F2} ms (100->500)");
return 0;

static double PeakMegabytes()
{
    // VmHWM: the process's peak resident set size.
    var line = File.ReadLines("/proc/self/status").First(l => l.StartsWith("VmHWM:"));
    return double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) / 1024;
}

/// <summary>The engine stand-in for the benchmark: every resource gets its inputs back as its state.</summary>
internal sealed class EchoMocks : IMocks
{
    public Task<(string? id, object state)> NewResourceAsync(MockResourceArgs args) =>
        Task.FromResult<(string?, object)>((args.Name + "-id", args.Inputs));

    public Task<object> CallAsync(MockCallArgs args) => Task.FromResult<object>(args.Args);
}
