using System.Diagnostics;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.PixelFormats;

/// <summary>One generated file and how it was encoded (read back from its SOF marker after generation).</summary>
sealed record GeneratedFile(string Path, int Width, int Height, string Kind, long Bytes);

/// <summary>Generates photo-like JPEGs shaped like the Kaggle release: mostly 500 px on the long side, some smaller and
/// larger, quality 70-95, mostly baseline 4:2:0, with progressive, grayscale and CMYK files mixed in.</summary>
static class Generator
{
    // Shares of the mix (assumed, the release's exact shares are not known here).
    const double Progressive = 0.10, Grayscale = 0.04, Cmyk = 0.01, Subsampling444 = 0.15;

    public static List<GeneratedFile> Generate(Options options)
    {
        var plans = Enumerable.Range(0, options.Count).Select(i => Plan(i, options)).ToArray();
        Parallel.ForEach(plans, new ParallelOptions { MaxDegreeOfParallelism = options.Workers }, plan =>
        {
            if (File.Exists(plan.Path) && new FileInfo(plan.Path).Length > 0 && File.Exists(plan.Path + ".ok")) return;
            using var image = Paint(plan.Width, plan.Height, plan.Seed);
            var color = plan.Kind switch
            {
                "grayscale" => JpegColorType.Luminance,
                "baseline 4:4:4" => JpegColorType.YCbCrRatio444,
                _ => JpegColorType.YCbCrRatio420,
            };
            image.SaveAsJpeg(plan.Path, new JpegEncoder { Quality = plan.Quality, ColorType = color });
        });
        // ImageSharp 2.1.13 encodes baseline only and no CMYK: Pillow re-encodes those files.
        var recode = plans.Where(p => p.Kind is "progressive" or "cmyk" && !File.Exists(p.Path + ".ok")).ToList();
        if (recode.Count > 0)
        {
            string list = Path.Combine(options.Folder, "recode.txt");
            File.WriteAllLines(list, recode.Select(p => $"{p.Path}\t{p.Kind}\t{p.Quality}"));
            RunPython(options.Python, $"\"{PillowScript}\" recode \"{list}\"");
        }
        foreach (var plan in plans) File.WriteAllText(plan.Path + ".ok", "");
        return plans.Select(p => Inspect(p.Path)).ToList();
    }

    public static string PillowScript => Path.Combine(AppContext.BaseDirectory, "pillow_bench.py");

    public static string RunPython(string python, string arguments)
    {
        var start = new ProcessStartInfo(python, arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"{python} {arguments} failed: {error.Result}");
        return output.Result;
    }

    record Planned(string Path, int Width, int Height, int Quality, string Kind, int Seed);

    static Planned Plan(int i, Options options)
    {
        var random = new Random(options.Seed * 100_003 + i);
        double shape = random.NextDouble();
        (int w, int h) = shape switch
        {
            < 0.55 => (500, random.Next(300, 400)),           // landscape, as most of the release
            < 0.75 => (random.Next(300, 400), 500),           // portrait
            < 0.95 => (random.Next(120, 500), random.Next(100, 500)),
            _ => (random.Next(600, 1024), random.Next(450, 768)),
        };
        double kind = random.NextDouble();
        string k = kind < Progressive ? "progressive"
            : kind < Progressive + Grayscale ? "grayscale"
            : kind < Progressive + Grayscale + Cmyk ? "cmyk"
            : kind < Progressive + Grayscale + Cmyk + Subsampling444 ? "baseline 4:4:4"
            : "baseline 4:2:0";
        return new Planned(Path.Combine(options.Folder, $"{i:D5}.jpg"), w, h, random.Next(70, 96), k, random.Next());
    }

    /// <summary>A smooth background, a few hard-edged blobs, and fur-like mid-frequency texture plus sensor noise:
    /// enough detail that files come out around the release's ~33 KB average rather than a few KB.</summary>
    static Image<Rgb24> Paint(int width, int height, int seed)
    {
        var random = new Random(seed);
        var image = new Image<Rgb24>(width, height);
        var baseColor = new float[3];
        var waves = new (float fx, float fy, float phase, float amp)[3, 3];
        for (int c = 0; c < 3; c++)
        {
            baseColor[c] = random.Next(60, 200);
            for (int k = 0; k < 3; k++)
                waves[c, k] = ((float)random.NextDouble() * 0.03f, (float)random.NextDouble() * 0.03f, (float)random.NextDouble() * 6.3f, random.Next(10, 40));
        }
        var blobs = Enumerable.Range(0, random.Next(3, 8)).Select(_ => (
            x: random.Next(width), y: random.Next(height), rx: random.Next(20, 150), ry: random.Next(20, 150),
            color: new[] { random.Next(256), random.Next(256), random.Next(256) })).ToArray();
        const int cell = 6;
        int gw = width / cell + 2, gh = height / cell + 2;
        var grid = new float[gw * gh];
        for (int i = 0; i < grid.Length; i++) grid[i] = (float)random.NextDouble() * 2 - 1;
        float texture = random.Next(8, 30);
        var noise = new Random(seed ^ 0x5bd1e995);

        image.ProcessPixelRows(rows =>
        {
            var value = new float[3];
            for (int y = 0; y < height; y++)
            {
                var row = rows.GetRowSpan(y);
                for (int x = 0; x < width; x++)
                {
                    float gx = (float)x / cell, gy = (float)y / cell;
                    int ix = (int)gx, iy = (int)gy;
                    float tx = gx - ix, ty = gy - iy;
                    float fur = Lerp(Lerp(grid[iy * gw + ix], grid[iy * gw + ix + 1], tx),
                                     Lerp(grid[(iy + 1) * gw + ix], grid[(iy + 1) * gw + ix + 1], tx), ty) * texture;
                    for (int c = 0; c < 3; c++)
                    {
                        float v = baseColor[c];
                        for (int k = 0; k < 3; k++)
                        {
                            var (fx, fy, phase, amp) = waves[c, k];
                            v += amp * MathF.Cos(fx * x + fy * y + phase);
                        }
                        value[c] = v;
                    }
                    foreach (var b in blobs)
                    {
                        float dx = (float)(x - b.x) / b.rx, dy = (float)(y - b.y) / b.ry;
                        if (dx * dx + dy * dy < 1)
                            for (int c = 0; c < 3; c++) value[c] = b.color[c] + 0.3f * (value[c] - 128);
                    }
                    float n = (float)noise.NextDouble() * 12 - 6;
                    row[x] = new Rgb24(Clamp(value[0] + fur + n), Clamp(value[1] + fur + n), Clamp(value[2] + fur * 0.8f + n));
                }
            }
        });
        return image;
    }

    static float Lerp(float a, float b, float t) => a + (b - a) * t;
    static byte Clamp(float v) => (byte)Math.Clamp((int)v, 0, 255);

    /// <summary>Reads size, process (baseline/progressive) and component count from the file's SOF marker.</summary>
    static GeneratedFile Inspect(string path)
    {
        var bytes = File.ReadAllBytes(path);
        int i = 2;
        while (i + 9 < bytes.Length && bytes[i] == 0xFF)
        {
            byte marker = bytes[i + 1];
            int length = (bytes[i + 2] << 8) | bytes[i + 3];
            if (marker is 0xC0 or 0xC1 or 0xC2)
            {
                int height = (bytes[i + 5] << 8) | bytes[i + 6], width = (bytes[i + 7] << 8) | bytes[i + 8];
                int components = bytes[i + 9];
                string kind = (marker == 0xC2 ? "progressive" : "baseline") + components switch { 1 => " gray", 4 => " CMYK", _ => "" };
                return new GeneratedFile(path, width, height, kind, bytes.Length);
            }
            i += 2 + length;
        }
        return new GeneratedFile(path, 0, 0, "unknown", bytes.Length);
    }

    public static string Summary(IReadOnlyList<GeneratedFile> files)
    {
        var kinds = string.Join(", ", files.GroupBy(f => f.Kind).OrderByDescending(g => g.Count()).Select(g => $"{g.Key} {g.Count()}"));
        int around500 = files.Count(f => Math.Max(f.Width, f.Height) == 500);
        return $"Files: {files.Count} ({kinds}); {around500} with a 500 px long side; " +
               $"mean {files.Average(f => f.Width * (double)f.Height) / 1e3:N0} kpixels, mean {files.Average(f => f.Bytes) / 1024:N1} KB, " +
               $"total {files.Sum(f => f.Bytes) / 1048576.0:N1} MB";
    }
}
