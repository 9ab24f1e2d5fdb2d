using System.Diagnostics;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

/// <summary>--probe: one thread, one file, milliseconds per step, to see where ImageSharp's time goes.</summary>
static class Probe
{
    public static void Run(string path, int iterations)
    {
        var bytes = File.ReadAllBytes(path);
        using var probe = Image.Load<Rgb24>(bytes);
        Console.WriteLine($"Probe: {path}, {probe.Width}x{probe.Height}, {bytes.Length / 1024.0:N1} KB, {iterations} iterations, one thread");
        var config = Configuration.Default.Clone();
        config.MaxDegreeOfParallelism = 1;
        void Time(string what, Action action)
        {
            for (int i = 0; i < 20; i++) action();
            var watch = Stopwatch.StartNew();
            for (int i = 0; i < iterations; i++) action();
            Console.WriteLine($"  {what,-40} {watch.Elapsed.TotalMilliseconds / iterations,7:N2} ms");
        }
        Time("decode Rgb24", () => { using var i = Image.Load<Rgb24>(config, bytes); });
        Time("decode Rgba32", () => { using var i = Image.Load<Rgba32>(config, bytes); });
        using var rgb = Image.Load<Rgb24>(config, bytes);
        using var rgba = Image.Load<Rgba32>(config, bytes);
        Time("resize Rgb24 Triangle (clone)", () => { using var c = rgb.Clone(x => x.Resize(64, 64, KnownResamplers.Triangle)); });
        Time("resize Rgba32 Triangle (clone)", () => { using var c = rgba.Clone(x => x.Resize(64, 64, KnownResamplers.Triangle)); });
        Time("resize Rgb24 Box (clone)", () => { using var c = rgb.Clone(x => x.Resize(64, 64, KnownResamplers.Box)); });
        Time("resize Rgb24 NearestNeighbor (clone)", () => { using var c = rgb.Clone(x => x.Resize(64, 64, KnownResamplers.NearestNeighbor)); });
        Time("resize Rgb24 Bicubic (clone)", () => { using var c = rgb.Clone(x => x.Resize(64, 64, KnownResamplers.Bicubic)); });
        Time("clone only", () => { using var c = rgb.Clone(); });
    }
}
