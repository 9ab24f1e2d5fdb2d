using System.Diagnostics;
using System.Text.Json;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

/// <summary>The timed work: read each file, decode to RGB, resize to 64x64 (no aspect ratio kept, as the lab), copy out the bytes.</summary>
static class Decoding
{
    // JPEG and PNG only (as the project registers them); one thread per image, parallel across images.
    static readonly Configuration Config = new(new JpegConfigurationModule(), new PngConfigurationModule()) { MaxDegreeOfParallelism = 1 };

    public static string? PillowVersion { get; private set; }

    /// <summary>tf.image.resize's default: bilinear with half-pixel centres and no antialiasing (4 taps per output pixel).</summary>
    static void SampleBilinear(Image<Rgba32> image, byte[] output, int size)
    {
        int w = image.Width, h = image.Height;
        float sx = (float)w / size, sy = (float)h / size;
        var rows = new (int Y0, int Y1, float T)[size];
        for (int oy = 0; oy < size; oy++)
        {
            float y = Math.Clamp((oy + 0.5f) * sy - 0.5f, 0, h - 1);
            int y0 = (int)y;
            rows[oy] = (y0, Math.Min(y0 + 1, h - 1), y - y0);
        }
        image.ProcessPixelRows(access =>
        {
            for (int oy = 0; oy < size; oy++)
            {
                var (y0, y1, ty) = rows[oy];
                var r0 = access.GetRowSpan(y0);
                var r1 = access.GetRowSpan(y1);
                for (int ox = 0; ox < size; ox++)
                {
                    float x = Math.Clamp((ox + 0.5f) * sx - 0.5f, 0, w - 1);
                    int x0 = (int)x, x1 = Math.Min(x0 + 1, w - 1);
                    float tx = x - x0;
                    Rgba32 a = r0[x0], b = r0[x1], c = r1[x0], d = r1[x1];
                    int o = (oy * size + ox) * 3;
                    output[o] = Mix(a.R, b.R, c.R, d.R, tx, ty);
                    output[o + 1] = Mix(a.G, b.G, c.G, d.G, tx, ty);
                    output[o + 2] = Mix(a.B, b.B, c.B, d.B, tx, ty);
                }
            }
        });
    }

    static byte Mix(byte a, byte b, byte c, byte d, float tx, float ty)
    {
        float top = a + (b - a) * tx, bottom = c + (d - c) * tx;
        return (byte)(top + (bottom - top) * ty + 0.5f);
    }

    /// <summary>Modes: "resize" (decode to Rgb24, Triangle resize), "resize-rgba" (decode to Rgba32, Triangle resize),
    /// "sample-rgba" (decode to Rgba32, TF-style bilinear sampling), "decode" / "decode-rgba" (decode only).</summary>
    public static (double Seconds, int Failures) ImageSharp(string[] paths, string mode, int workers)
    {
        int failures = 0;
        var watch = Stopwatch.StartNew();
        Parallel.ForEach(paths, new ParallelOptions { MaxDegreeOfParallelism = workers }, () => new byte[64 * 64 * 3], (path, _, rgb) =>
        {
            try
            {
                var bytes = File.ReadAllBytes(path);
                if (mode.EndsWith("-rgba"))
                {
                    using var image = Image.Load<Rgba32>(Config, bytes);
                    if (mode == "resize-rgba")
                    {
                        image.Mutate(x => x.Resize(64, 64, KnownResamplers.Triangle));
                        ToRgb(image, rgb);
                    }
                    else if (mode == "sample-rgba")
                    {
                        SampleBilinear(image, rgb, 64);
                    }
                }
                else
                {
                    using var image = Image.Load<Rgb24>(Config, bytes);
                    if (mode == "resize")
                    {
                        image.Mutate(x => x.Resize(64, 64, KnownResamplers.Triangle));
                        image.CopyPixelDataTo(rgb);
                    }
                }
            }
            catch (Exception)
            {
                Interlocked.Increment(ref failures);
            }
            return rgb;
        }, _ => { });
        return (watch.Elapsed.TotalSeconds, failures);
    }

    /// <summary>64x64 RGB bytes as the "resize" mode makes them.</summary>
    public static byte[] ImageSharpResize(string path)
    {
        var rgb = new byte[64 * 64 * 3];
        using var image = Image.Load<Rgb24>(Config, File.ReadAllBytes(path));
        image.Mutate(x => x.Resize(64, 64, KnownResamplers.Triangle));
        image.CopyPixelDataTo(rgb);
        return rgb;
    }

    static void ToRgb(Image<Rgba32> image, byte[] rgb)
    {
        image.ProcessPixelRows(access =>
        {
            int o = 0;
            for (int y = 0; y < access.Height; y++)
                foreach (var p in access.GetRowSpan(y)) { rgb[o++] = p.R; rgb[o++] = p.G; rgb[o++] = p.B; }
        });
    }

    public static (double Seconds, int Failures) Pillow(Options options, string[] paths, string mode, int workers)
    {
        string list = Path.Combine(options.Folder, $"list-{paths.Length}.txt");
        File.WriteAllLines(list, paths);
        var output = Generator.RunPython(options.Python,
            $"\"{Generator.PillowScript}\" bench \"{list}\" {workers} {mode}");
        using var json = JsonDocument.Parse(output);
        PillowVersion = json.RootElement.GetProperty("pillow").GetString();
        return (json.RootElement.GetProperty("seconds").GetDouble(), json.RootElement.GetProperty("failures").GetInt32());
    }
}
