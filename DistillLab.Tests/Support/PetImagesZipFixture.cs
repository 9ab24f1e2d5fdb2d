using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;

namespace DistillLab.Tests.Support;

/// <summary>What an entry of the fixture zip is, so tests of both extraction and filtering can derive their expectations.</summary>
public enum FixtureKind
{
    /// <summary>A real JPEG encoded by ImageSharp, with the JFIF APP0 marker at byte 6.</summary>
    Jpeg,
    /// <summary>A decodable JPEG whose JFIF APP0 segment was removed: TFDS drops it.</summary>
    JpegWithoutJfif,
    /// <summary>A decodable JPEG whose JFIF marker comes after byte 512 (a 600-byte comment first): TFDS drops it, Keras's looser check keeps it.</summary>
    JpegJfifAfter512,
    /// <summary>A PNG named .jpg (no JFIF).</summary>
    PngNamedJpg,
    /// <summary>A zero-byte .jpg.</summary>
    Empty,
    /// <summary>The first half of a real JPEG: passes the JFIF rule, fails to decode.</summary>
    TruncatedJpeg,
    /// <summary>Plain text named .jpg.</summary>
    TextNamedJpg,
    /// <summary>Not an image name: readme.txt, Thumbs.db.</summary>
    OtherName,
    /// <summary>A name that tries to escape the target folder.</summary>
    Escape,
    /// <summary>A &lt;digits&gt;.jpg in a folder other than PetImages/Cat or PetImages/Dog.</summary>
    WrongFolder,
    /// <summary>A directory entry, as the release has.</summary>
    Directory,
    /// <summary>The same Cat file again under a backslash name.</summary>
    Duplicate,
}

/// <param name="Name">The entry name in the zip.</param>
/// <param name="Label">0 = cat, 1 = dog for entries extraction takes (PetImages/Cat|Dog/&lt;digits&gt;.jpg); null otherwise.</param>
public sealed record FixtureEntry(string Name, FixtureKind Kind, int? Label)
{
    /// <summary>Taken by extraction (the TFDS name rule), whatever its content.</summary>
    public bool Extracted => Label is not null;
}

/// <summary>The fixture archive, its SHA-256 (lower-case hex) and what each entry is.</summary>
public sealed record PetImagesZip(byte[] Bytes, string Sha256, IReadOnlyList<FixtureEntry> Entries)
{
    public int Count(FixtureKind kind) => Entries.Count(e => e.Kind == kind);
    public int ExtractedCats => Entries.Count(e => e.Label == 0);
    public int ExtractedDogs => Entries.Count(e => e.Label == 1);
    /// <summary>Written to disk by extraction and kept by TFDS's rule ("JFIF" in the first 512 bytes): real and truncated JPEGs (38).</summary>
    public int KeptByJfifRule => Entries.Count(e => e.Extracted && e.Kind is FixtureKind.Jpeg or FixtureKind.TruncatedJpeg);
    /// <summary>Extracted but dropped by TFDS's rule: no JFIF in the first 512 bytes (6).</summary>
    public int SkippedByJfifRule => Entries.Count(e => e.Extracted) - KeptByJfifRule;
    /// <summary>Kept by the JFIF rule, then failing to decode: the truncated JPEG (1).</summary>
    public int KeptButUndecodable => Entries.Count(e => e.Extracted && e.Kind == FixtureKind.TruncatedJpeg);
    /// <summary>Usable images after both checks, by label: cats, dogs (20, 17).</summary>
    public (int Cats, int Dogs) Usable =>
        (Entries.Count(e => e.Label == 0 && e.Kind == FixtureKind.Jpeg), Entries.Count(e => e.Label == 1 && e.Kind == FixtureKind.Jpeg));
}

/// <summary>Builds a small zip in the layout of Microsoft's Kaggle Cats and Dogs release, with the bad entries the real one has and worse.</summary>
public static class PetImagesZipFixture
{
    /// <summary>An absolute entry name; extraction must never create it.</summary>
    public const string AbsoluteEscapeName = "/tmp/distilllab-zip-escape/1.jpg";

    private static readonly Lazy<PetImagesZip> Default = new(() => Build());

    /// <summary>The default fixture (20 cats, 16 dogs), built once per test run.</summary>
    public static PetImagesZip Shared => Default.Value;

    /// <summary>Builds the zip. Real JPEGs are numbered from 0 in each class; the same seed gives the same bytes.</summary>
    public static PetImagesZip Build(int cats = 20, int dogs = 16, int seed = 1)
    {
        var random = new Random(seed);
        var files = new List<(FixtureEntry Entry, byte[] Data)>();
        void Add(string name, FixtureKind kind, int? label, byte[] data) => files.Add((new FixtureEntry(name, kind, label), data));

        Add("PetImages/", FixtureKind.Directory, null, []);
        Add("PetImages/Cat/", FixtureKind.Directory, null, []);
        Add("PetImages/Dog/", FixtureKind.Directory, null, []);
        for (int i = 0; i < cats; i++) Add($"PetImages/Cat/{i}.jpg", FixtureKind.Jpeg, 0, Jpeg(random, 0));
        for (int i = 0; i < dogs; i++) Add($"PetImages/Dog/{i}.jpg", FixtureKind.Jpeg, 1, Jpeg(random, 1));
        // TFDS's regex accepts either separator; the file still lands in PetImages/Dog.
        Add(@"PetImages\Dog\900.jpg", FixtureKind.Jpeg, 1, Jpeg(random, 1));

        Add("PetImages/Cat/1000.jpg", FixtureKind.JpegWithoutJfif, 0, WithoutJfif(Jpeg(random, 0)));
        Add("PetImages/Dog/1000.jpg", FixtureKind.JpegWithoutJfif, 1, WithoutJfif(Jpeg(random, 1)));
        Add("PetImages/Cat/1001.jpg", FixtureKind.JpegJfifAfter512, 0, WithLongCommentFirst(Jpeg(random, 0)));
        Add("PetImages/Cat/1002.jpg", FixtureKind.PngNamedJpg, 0, Png(random));
        Add("PetImages/Dog/1002.jpg", FixtureKind.Empty, 1, []);
        var whole = Jpeg(random, 0);
        Add("PetImages/Cat/1003.jpg", FixtureKind.TruncatedJpeg, 0, whole[..(whole.Length / 2)]);
        Add("PetImages/Dog/1003.jpg", FixtureKind.TextNamedJpg, 1, Encoding.ASCII.GetBytes("This is not a picture of a dog.\n"));

        Add("readme.txt", FixtureKind.OtherName, null, Encoding.ASCII.GetBytes("Cats and dogs, fixture edition.\n"));
        Add("PetImages/Cat/Thumbs.db", FixtureKind.OtherName, null, [0xD0, 0xCF, 0x11, 0xE0]);
        Add("PetImages/Cats/7.jpg", FixtureKind.WrongFolder, null, Jpeg(random, 0));
        Add("../x.jpg", FixtureKind.Escape, null, Jpeg(random, 0));
        Add(@"..\..\evil.jpg", FixtureKind.Escape, null, Jpeg(random, 1));
        Add("PetImages/Cat/../../../escape.jpg", FixtureKind.Escape, null, Jpeg(random, 0));
        Add(AbsoluteEscapeName, FixtureKind.Escape, null, Jpeg(random, 1));
        Add(@"PetImages\Cat\0.jpg", FixtureKind.Duplicate, null, Jpeg(random, 0));

        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (entry, data) in files)
            {
                var zipEntry = zip.CreateEntry(entry.Name, CompressionLevel.Fastest);
                if (entry.Kind == FixtureKind.Directory) continue;
                using var stream = zipEntry.Open();
                stream.Write(data);
            }
        }
        var bytes = buffer.ToArray();
        return new PetImagesZip(bytes, Convert.ToHexStringLower(SHA256.HashData(bytes)), files.Select(f => f.Entry).ToList());
    }

    /// <summary>A small photo-like JPEG: a gradient with a blob, warmer for cats, cooler for dogs.</summary>
    public static byte[] Jpeg(Random random, int label)
    {
        using var image = new Image<Rgb24>(random.Next(48, 96), random.Next(40, 80));
        int cx = random.Next(image.Width), cy = random.Next(image.Height), r = random.Next(8, 24);
        for (int y = 0; y < image.Height; y++)
            for (int x = 0; x < image.Width; x++)
            {
                bool blob = (x - cx) * (x - cx) + (y - cy) * (y - cy) < r * r;
                byte a = (byte)(x * 255 / image.Width), b = (byte)(y * 255 / image.Height);
                image[x, y] = blob ? new Rgb24(20, 20, 20) : label == 0 ? new Rgb24(200, a, b) : new Rgb24(a, b, 200);
            }
        using var stream = new MemoryStream();
        image.SaveAsJpeg(stream, new JpegEncoder { Quality = 80 });
        return stream.ToArray();
    }

    private static byte[] Png(Random random)
    {
        using var image = new Image<Rgb24>(32, 32, new Rgb24((byte)random.Next(256), 90, 90));
        using var stream = new MemoryStream();
        image.SaveAsPng(stream, new PngEncoder());
        return stream.ToArray();
    }

    /// <summary>Removes the APP0 (JFIF) segment that follows SOI; the JPEG still decodes.</summary>
    public static byte[] WithoutJfif(byte[] jpeg)
    {
        RequireJfifApp0(jpeg);
        int length = (jpeg[4] << 8) | jpeg[5];
        return [.. jpeg[..2], .. jpeg[(4 + length)..]];
    }

    /// <summary>Puts a 600-byte COM segment before the JFIF APP0, so "JFIF" first appears after byte 512.</summary>
    public static byte[] WithLongCommentFirst(byte[] jpeg)
    {
        RequireJfifApp0(jpeg);
        const int payload = 600;
        byte[] comment = [0xFF, 0xFE, (payload + 2) >> 8, (payload + 2) & 0xFF, .. Enumerable.Repeat((byte)'-', payload)];
        return [.. jpeg[..2], .. comment, .. jpeg[2..]];
    }

    private static void RequireJfifApp0(byte[] jpeg)
    {
        if (jpeg.Length < 11 || jpeg[0] != 0xFF || jpeg[1] != 0xD8 || jpeg[2] != 0xFF || jpeg[3] != 0xE0 ||
            Encoding.ASCII.GetString(jpeg, 6, 4) != "JFIF")
            throw new InvalidOperationException("Expected SOI followed by a JFIF APP0 segment.");
    }
}
