// DataPrep benchmark: how fast can the lab's images be decoded and resized to 64 px, with ImageSharp and with Pillow,
// on the same generated JPEGs in the same run. See docs/benchmarks-data-prep.md for the figures and how to run it.
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
var options = Options.Parse(args);
if (args.Contains("--probe"))
{
    Probe.Run(args.SkipWhile(a => a != "--probe").Skip(1).First(), 100);
    return;
}
Directory.CreateDirectory(options.Folder);
Console.WriteLine($"DataPrep benchmark: {options.Count} images in {options.Folder}, {options.Workers} workers, {options.Rounds} rounds");
Console.WriteLine(Machine.Describe(options.Python));
Console.WriteLine($"Load average at start: {Machine.LoadAverage()}");

var watch = Stopwatch.StartNew();
var files = Generator.Generate(options);
Console.WriteLine($"Generated in {watch.Elapsed.TotalSeconds:N1} s");
Console.WriteLine(Generator.Summary(files));
var paths = files.Select(f => f.Path).ToArray();
Compare(files, options);

foreach (var mode in new[] { "resize", "resize-rgba", "sample-rgba", "decode-rgba" })
    Decoding.ImageSharp(paths.Take(100).ToArray(), mode, options.Workers); // JIT warm-up
var rows = new List<(string What, string Library, int Workers, int Count, double Seconds, int Failures)>();
void Add(string what, string library, int workers, string[] set, (double Seconds, int Failures) r)
{
    rows.Add((what, library, workers, set.Length, r.Seconds, r.Failures));
    Console.WriteLine($"  {what,-22} {library,-10} {workers} workers: {set.Length / r.Seconds,8:N0} images/s ({r.Seconds:N2} s, {r.Failures} failed)");
}
for (int round = 1; round <= options.Rounds; round++)
{
    Console.WriteLine($"Round {round}");
    // Alternate the libraries so that a noisy neighbour on the shared machine hits both alike.
    Add("decode+resize 64", "ImageSharp", options.Workers, paths, Decoding.ImageSharp(paths, "resize", options.Workers));
    Add("decode+resize 64", "Pillow", options.Workers, paths, Decoding.Pillow(options, paths, "resize", options.Workers));
    Add("decode+resize 64 rgba", "ImageSharp", options.Workers, paths, Decoding.ImageSharp(paths, "resize-rgba", options.Workers));
    Add("decode+sample 64", "ImageSharp", options.Workers, paths, Decoding.ImageSharp(paths, "sample-rgba", options.Workers));
    Add("decode+sample 64", "Pillow", options.Workers, paths, Decoding.Pillow(options, paths, "sample", options.Workers));
    Add("decode only", "ImageSharp", options.Workers, paths, Decoding.ImageSharp(paths, "decode-rgba", options.Workers));
    Add("decode only", "Pillow", options.Workers, paths, Decoding.Pillow(options, paths, "decode", options.Workers));
}
Console.WriteLine("One worker");
var subset = paths.Take(Math.Min(300, paths.Length)).ToArray();
Add("decode+resize 64", "ImageSharp", 1, subset, Decoding.ImageSharp(subset, "resize", 1));
Add("decode+resize 64", "Pillow", 1, subset, Decoding.Pillow(options, subset, "resize", 1));

double Best(string what, string library, int workers) =>
    rows.Where(r => r.What == what && r.Library == library && r.Workers == workers).Max(r => r.Count / r.Seconds);
double sharp = Best("decode+resize 64", "ImageSharp", options.Workers);
double pillow = Best("decode+resize 64", "Pillow", options.Workers);
Console.WriteLine();
Console.WriteLine($"Best decode+resize on {options.Workers} workers: ImageSharp {sharp:N0} images/s, Pillow {pillow:N0} images/s, " +
                  $"Pillow/ImageSharp = {pillow / sharp:N2}");
Console.WriteLine($"25,000 images at 64 px: ImageSharp {25_000 / sharp:N0} s, Pillow {25_000 / pillow:N0} s (target <= 180 s)");
foreach (var (what, pillowWhat) in new[] { ("decode+resize 64 rgba", "decode+resize 64"), ("decode+sample 64", "decode+sample 64"), ("decode only", "decode only") })
{
    double s = Best(what, "ImageSharp", options.Workers), p = Best(pillowWhat, "Pillow", options.Workers);
    Console.WriteLine($"Best {what}: ImageSharp {s:N0} images/s ({25_000 / s:N0} s for 25,000), Pillow {p:N0} images/s, Pillow/ImageSharp = {p / s:N2}");
}
Console.WriteLine($"Pillow {Decoding.PillowVersion}");
// Paired per round: both libraries ran back to back, so a busy neighbour affects the pair alike.
var paired = rows.Where(r => r.Workers == options.Workers).GroupBy(r => r.What).ToDictionary(g => g.Key, g => g.ToList());
foreach (var (what, pillowWhat) in new[] { ("decode+resize 64", "decode+resize 64"), ("decode+resize 64 rgba", "decode+resize 64"), ("decode+sample 64", "decode+sample 64"), ("decode only", "decode only") })
{
    var sharpRates = paired[what].Where(r => r.Library == "ImageSharp").Select(r => r.Count / r.Seconds).ToList();
    var pillowRates = paired[pillowWhat].Where(r => r.Library == "Pillow").Select(r => r.Count / r.Seconds).ToList();
    var ratios = sharpRates.Zip(pillowRates, (a, b) => b / a).Order().ToList();
    Console.WriteLine($"Median {what}: ImageSharp {Median(sharpRates):N0} images/s ({25_000 / Median(sharpRates):N0} s for 25,000), " +
                      $"Pillow {Median(pillowRates):N0} images/s; Pillow/ImageSharp per round {string.Join(" ", ratios.Select(r => r.ToString("N2")))}, median {Median(ratios):N2}");
}
Console.WriteLine($"Load average at end: {Machine.LoadAverage()}");
// Both libraries must do the same work: compare their 64 px outputs per kind of file (mean absolute difference, 0-255).
static void Compare(IReadOnlyList<GeneratedFile> files, Options options)
{
    var sample = files.GroupBy(f => f.Kind).SelectMany(g => g.Take(15)).ToList();
    string dir = Path.Combine(options.Folder, "compare");
    Directory.CreateDirectory(dir);
    string list = Path.Combine(options.Folder, "compare.txt");
    File.WriteAllLines(list, sample.Select(f => f.Path));
    Generator.RunPython(options.Python, $"\"{Generator.PillowScript}\" dump \"{list}\" \"{dir}\"");
    var diffs = sample.Select((f, i) =>
    {
        var mine = Decoding.ImageSharpResize(f.Path);
        var theirs = File.ReadAllBytes(Path.Combine(dir, $"{i}.rgb"));
        return (f.Kind, Diff: mine.Zip(theirs, (a, b) => Math.Abs(a - b)).Average());
    });
    Console.WriteLine("ImageSharp Triangle vs Pillow BILINEAR at 64 px, mean |difference| (0-255): " +
        string.Join(", ", diffs.GroupBy(d => d.Kind).Select(g => $"{g.Key} {g.Average(d => d.Diff):N2} (max {g.Max(d => d.Diff):N2}, {g.Count()} files)")));
}

static double Median(IEnumerable<double> values)
{
    var v = values.Order().ToList();
    return v.Count % 2 == 1 ? v[v.Count / 2] : (v[v.Count / 2 - 1] + v[v.Count / 2]) / 2;
}
Console.WriteLine($"Total benchmark time {watch.Elapsed.TotalSeconds:N0} s");
if (options.Json is not null)
    File.WriteAllText(options.Json, JsonSerializer.Serialize(rows.Select(r => new { r.What, r.Library, r.Workers, r.Count, r.Seconds, r.Failures })));

sealed record Options(int Count, string Folder, int Workers, int Rounds, string Python, int Seed, string? Json)
{
    public static Options Parse(string[] args)
    {
        string? Get(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
        return new Options(
            int.Parse(Get("--count") ?? "1500"),
            Get("--dir") ?? Path.Combine(Path.GetTempPath(), "distilllab-dataprep"),
            int.Parse(Get("--workers") ?? Environment.ProcessorCount.ToString()),
            Math.Max(1, int.Parse(Get("--rounds") ?? "2")),
            Get("--python") ?? "/usr/bin/python3",
            int.Parse(Get("--seed") ?? "42"),
            Get("--json"));
    }
}

static class Machine
{
    public static string LoadAverage() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "?";

    public static string Describe(string python)
    {
        string cpu = File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name"))?.Split(':', 2)[1].Trim() ?? "?"
            : "?";
        string imageSharp = typeof(Image).Assembly
            .GetCustomAttributes(typeof(System.Reflection.AssemblyInformationalVersionAttribute), false)
            .OfType<System.Reflection.AssemblyInformationalVersionAttribute>().FirstOrDefault()?.InformationalVersion.Split('+')[0] ?? "?";
        return $"Machine: {Environment.ProcessorCount} cores ({cpu}), {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, " +
               $".NET {Environment.Version}, ImageSharp {imageSharp}, python {python}";
    }
}
