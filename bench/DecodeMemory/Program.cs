// Peak resident memory of one decode through DistillLab's upload path (identify, decode to RGB, resize to 64 px;
// smooth, and for one case also the lab's TensorFlow-style resize),
// per format and size, each in a fresh process: `dotnet run -c Release --project bench/DecodeMemory [folder]`.
// Progressive JPEGs need jpegtran (Debian: libjpeg-turbo-progs); without it that case is skipped and said so.
using System.Diagnostics;
using DistillLab.Core.Data;
using DistillLab.Core.Inference;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;

if (args is ["--one", var path, var method])
{
    Console.WriteLine(PeakExtraBytes(path, Enum.Parse<ResizeMethod>(method)));
    return 0;
}

var folder = args.FirstOrDefault() ?? Path.Combine(Path.GetTempPath(), "distilllab-decode-memory");
Directory.CreateDirectory(folder);
Console.WriteLine("case | pixels | file | peak above baseline | bytes per pixel");
foreach (int side in new[] { 2000, 4000, 7000 })
    foreach (var (name, file, resize) in Cases(folder, side).SelectMany(c => side == 7000 && c.Name == "png rgb"
                 ? new[] { (c.Name + " (lab resize)", c.File, ResizeMethod.Lab), (c.Name, c.File, ResizeMethod.Smooth) }
                 : new[] { (c.Name, c.File, ResizeMethod.Smooth) }))
    {
        long extra = RunChild(file, resize);
        long pixels = (long)side * side;
        Console.WriteLine($"{name} {side}x{side} | {pixels / 1e6:0.0} MP | {new FileInfo(file).Length / 1024} KB | {extra / (1 << 20)} MB | {extra / (double)pixels:0.00}");
    }
return 0;

static IEnumerable<(string Name, string File)> Cases(string folder, int side)
{
    using var image = new Image<Rgb24>(side, side);
    // Smooth gradients: the files stay small (like the 143 KB PNG) but are not a single colour.
    image.ProcessPixelRows(rows =>
    {
        for (int y = 0; y < rows.Height; y++)
        {
            var row = rows.GetRowSpan(y);
            for (int x = 0; x < row.Length; x++) row[x] = new Rgb24((byte)(x * 255 / side), (byte)(y * 255 / side), 128);
        }
    });
    string Save(string name, Action<string> save)
    {
        var path = Path.Combine(folder, $"{name}-{side}");
        if (!File.Exists(path)) save(path);
        return path;
    }
    yield return ("png rgb", Save("rgb.png", p => image.SaveAsPng(p)));
    yield return ("png rgba 16-bit", Save("rgba64.png", p => image.SaveAsPng(p, new PngEncoder { ColorType = PngColorType.RgbWithAlpha, BitDepth = PngBitDepth.Bit16 })));
    var baseline = Save("420.jpg", p => image.SaveAsJpeg(p, new JpegEncoder { ColorType = JpegColorType.YCbCrRatio420, Quality = 90 }));
    yield return ("jpeg 4:2:0", baseline);
    yield return ("jpeg 4:4:4", Save("444.jpg", p => image.SaveAsJpeg(p, new JpegEncoder { ColorType = JpegColorType.YCbCrRatio444, Quality = 90 })));
    if (File.Exists("/usr/bin/jpegtran"))
    {
        var progressive = Path.Combine(folder, $"progressive-444.jpg-{side}");
        var source = Path.Combine(folder, $"444.jpg-{side}");
        if (!File.Exists(progressive))
            Process.Start("/usr/bin/jpegtran", ["-progressive", "-outfile", progressive, source])!.WaitForExit();
        yield return ("jpeg 4:4:4 progressive", progressive);
    }
    else Console.WriteLine("(no /usr/bin/jpegtran: progressive JPEG skipped)");
}

static long RunChild(string file, ResizeMethod resize)
{
    var self = Environment.ProcessPath!;
    var start = new ProcessStartInfo(self) { RedirectStandardOutput = true };
    if (self.EndsWith("dotnet")) start.ArgumentList.Add(typeof(Program).Assembly.Location);
    start.ArgumentList.Add("--one");
    start.ArgumentList.Add(file);
    start.ArgumentList.Add(resize.ToString());
    using var child = Process.Start(start)!;
    var output = child.StandardOutput.ReadToEnd();
    child.WaitForExit();
    return long.Parse(output.Trim());
}

// Warm up on a small picture of the same format (code loaded, JIT done), reset the kernel's peak counter, then decode
// the big one: what the peak rose above the resident set before it is what this one decode took.
static long PeakExtraBytes(string path, ResizeMethod resize)
{
    bool png = path.Contains(".png");
    using (var small = new Image<Rgb24>(64, 64))
    using (var stream = new MemoryStream())
    {
        if (png) small.SaveAsPng(stream); else small.SaveAsJpeg(stream);
        ImageDecoder.Decode(stream.ToArray(), 64, resize);
    }
    var bytes = File.ReadAllBytes(path);
    GC.Collect();
    File.WriteAllText("/proc/self/clear_refs", "5");
    long before = Status("VmRSS");
    ImageDecoder.Decode(bytes, 64, resize, maxDecodeBytes: long.MaxValue); // measuring what the limit is derived from
    return Status("VmHWM") - before;
}

static long Status(string field) =>
    long.Parse(File.ReadLines("/proc/self/status").First(l => l.StartsWith(field + ":")).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;
