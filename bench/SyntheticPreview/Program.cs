using System.Diagnostics;
using DistillLab.Core.Data;
using DistillLab.Core.Data.Synthetic;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;

// Looks at the synthetic data set the way a person would: a labelled contact sheet, and how long generation takes.
//   sheet OUT.png [size] [seed]   8 x 8 pictures, cat / dog written under each
//   time [count] [size]           generation time on this machine
//   teacher CKPT count seed lab|synthetic   what a trained teacher's soft targets hold on its training split
//   probe SEEDS [count] [threads] [teacher|all]   teacher by epoch and distilled - scratch on validation, per seed
//   agree STUDENT1 STUDENT2 count seed lab|synthetic   how often two students disagree on validation, and the SE that gives
string command = args.Length > 0 ? args[0] : "sheet";
switch (command)
{
    case "sheet":
    {
        string output = args.Length > 1 ? args[1] : "synthetic-samples.png";
        int size = args.Length > 2 ? int.Parse(args[2]) : 64;
        int seed = args.Length > 3 ? int.Parse(args[3]) : 42;
        ContactSheet.Save(SyntheticCatsDogs.Generate(64, size, seed), output, columns: 8);
        Console.WriteLine($"wrote {output}");
        break;
    }
    case "time":
    {
        int count = args.Length > 1 ? int.Parse(args[1]) : SyntheticCatsDogs.DefaultCount;
        int size = args.Length > 2 ? int.Parse(args[2]) : 64;
        SyntheticCatsDogs.Generate(64, size, 1); // warm up the JIT
        var clock = Stopwatch.StartNew();
        var set = SyntheticCatsDogs.Generate(count, size, 42);
        Console.WriteLine($"{set.Count} images at {size} px in {clock.Elapsed.TotalSeconds:F2} s on {Environment.ProcessorCount} cores");
        break;
    }
    case "teacher" when args.Length == 5:
        TeacherProbe.Report(args[1], int.Parse(args[2]), int.Parse(args[3]), args[4]);
        break;
    case "probe" when args.Length >= 2:
        SetProbe.Run(args[1].Split(',').Select(int.Parse),
            args.Length > 2 ? int.Parse(args[2]) : SyntheticCatsDogs.DefaultCount, args.Length > 3 ? int.Parse(args[3]) : 1,
            teacherOnly: args.Length > 4 && args[4] == "teacher");
        break;
    case "agree" when args.Length == 6:
        TeacherProbe.Disagreement(args[1], args[2], int.Parse(args[3]), int.Parse(args[4]), args[5]);
        break;
    default:
        Console.Error.WriteLine("usage: sheet OUT.png [size] [seed] | time [count] [size] | teacher CKPT count seed lab|synthetic | probe SEEDS [count] [threads] [teacher|all] | agree STUDENT1 STUDENT2 count seed lab|synthetic");
        return 2;
}
return 0;

/// <summary>Tiles pictures into one PNG with each label spelled in a tiny bitmap font underneath.</summary>
static class ContactSheet
{
    private const int Caption = 9;

    public static void Save(ImageSet set, string path, int columns)
    {
        int size = set.ImageSize, rows = (set.Count + columns - 1) / columns, plane = size * size;
        int cellW = size + 2, cellH = size + Caption + 2;
        using var sheet = new Image<Rgb24>(columns * cellW, rows * cellH, new Rgb24(255, 255, 255));
        for (int n = 0; n < set.Count; n++)
        {
            int ox = n % columns * cellW + 1, oy = n / columns * cellH + 1;
            var image = set.Image(n);
            for (int y = 0; y < size; y++)
                for (int x = 0; x < size; x++)
                {
                    int i = y * size + x;
                    sheet[ox + x, oy + y] = new Rgb24(image[i], image[plane + i], image[2 * plane + i]);
                }
            string label = SyntheticCatsDogs.Classes[set.Labels[n]];
            var ink = set.Labels[n] == 0 ? new Rgb24(200, 80, 0) : new Rgb24(0, 70, 200);
            TinyFont.Write(sheet, label, ox + 2, oy + size + 2, ink);
        }
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        // A 256-colour palette keeps the noisy sheet small enough to live in the repository.
        sheet.SaveAsPng(path, new PngEncoder { ColorType = PngColorType.Palette, CompressionLevel = PngCompressionLevel.BestCompression });
    }
}

static class TinyFont
{
    // 3 x 5 glyphs, one row per string, '#' = ink.
    private static readonly Dictionary<char, string[]> Glyphs = new()
    {
        ['c'] = ["###", "#..", "#..", "#..", "###"],
        ['a'] = [".#.", "#.#", "###", "#.#", "#.#"],
        ['t'] = ["###", ".#.", ".#.", ".#.", ".#."],
        ['d'] = ["##.", "#.#", "#.#", "#.#", "##."],
        ['o'] = ["###", "#.#", "#.#", "#.#", "###"],
        ['g'] = ["###", "#..", "#.#", "#.#", "###"],
    };

    public static void Write(Image<Rgb24> image, string text, int x, int y, Rgb24 ink)
    {
        foreach (char ch in text)
        {
            if (Glyphs.TryGetValue(ch, out var rows))
                for (int r = 0; r < 5; r++)
                    for (int c = 0; c < 3; c++)
                        if (rows[r][c] == '#') image[x + c, y + r] = ink;
            x += 4;
        }
    }
}
