using System.Text;
using DistillLab.Core.Download;
using SixLabors.ImageSharp;
using DistillLab.Tests.Support;

namespace DistillLab.Tests.Core.Download;

public sealed class PetImagesExtractorTests : IDisposable
{
    private static readonly PetImagesZip Zip = PetImagesZipFixture.Shared;
    private readonly TempFolder temp = new();
    private readonly string archive;
    private readonly string target;

    public PetImagesExtractorTests()
    {
        archive = temp.PathOf("archive.zip");
        File.WriteAllBytes(archive, Zip.Bytes);
        target = temp.PathOf("data");
    }

    public void Dispose() => temp.Dispose();

    private static PetImagesExtractor Extractor(IDiskSpace? disk = null) => new(disk ?? FixedDiskSpace.Plenty);

    [Fact]
    public async Task TakesOnlyTfdsNamedEntriesAndCountsTheRestByReason()
    {
        var result = await Extractor().ExtractAsync(archive, target);

        // 20 cats + 16 dogs + one backslash-named dog, plus the 4 bad cats and 3 bad dogs that carry a good name.
        Assert.Equal((24, 20), (result.Cats, result.Dogs));
        Assert.Equal((Zip.ExtractedCats, Zip.ExtractedDogs), (result.Cats, result.Dogs));
        Assert.Equal(new Dictionary<string, int>
        {
            [IgnoreReason.Directory] = 3,
            [IgnoreReason.UnsafePath] = 4,
            [IgnoreReason.WrongFolder] = 1,
            [IgnoreReason.OtherName] = 2,
            [IgnoreReason.Duplicate] = 1,
        }, result.Ignored);
        Assert.Equal(Zip.Entries.Count, result.Extracted + result.IgnoredTotal);
        Assert.Equal(24, Directory.GetFiles(Path.Combine(target, "PetImages", "Cat")).Length);
        Assert.Equal(20, Directory.GetFiles(Path.Combine(target, "PetImages", "Dog")).Length);
        Assert.True(File.Exists(Path.Combine(target, "PetImages", "Dog", "900.jpg")));
    }

    [Fact]
    public async Task WritesNothingOutsideTheTargetWhateverEntryNamesSay()
    {
        await Extractor().ExtractAsync(archive, target);

        var everything = Directory.GetFileSystemEntries(temp.Path, "*", SearchOption.AllDirectories)
            .Select(p => Path.GetRelativePath(temp.Path, p).Replace('\\', '/')).Order().ToList();
        Assert.All(everything, p => Assert.Matches(@"^(archive\.zip|data|data/PetImages(/(Cat|Dog)(/[0-9]+\.jpg)?)?)$", p));
        Assert.False(File.Exists(Path.Combine(Path.GetDirectoryName(temp.Path)!, "x.jpg")));
        Assert.False(File.Exists(Path.Combine(Path.GetDirectoryName(temp.Path)!, "escape.jpg")));
        Assert.False(File.Exists(PetImagesZipFixture.AbsoluteEscapeName));
    }

    [Fact]
    public async Task ExtractedFilesAreByteForByteTheArchiveEntries()
    {
        await Extractor().ExtractAsync(archive, target);

        using var zip = System.IO.Compression.ZipFile.OpenRead(archive);
        var entry = zip.GetEntry("PetImages/Cat/1003.jpg")!;
        using var stream = entry.Open();
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        Assert.Equal(copy.ToArray(), File.ReadAllBytes(Path.Combine(target, "PetImages", "Cat", "1003.jpg")));
        Assert.Empty(File.ReadAllBytes(Path.Combine(target, "PetImages", "Dog", "1002.jpg")));
    }

    [Theory]
    [InlineData("PetImages/Cat/0.jpg", true, null)]
    [InlineData("PetImages/Dog/12499.jpg", true, null)]
    [InlineData(@"PetImages\Dog\7.jpg", true, null)]
    [InlineData("PetImages/cat/1.jpg", false, IgnoreReason.WrongFolder)]
    [InlineData("PetImages/Cat/1.JPG", false, IgnoreReason.OtherName)]
    [InlineData("PetImages/Cat/cat.1.jpg", false, IgnoreReason.OtherName)]
    [InlineData("PetImages/Cat/1.jpg.txt", false, IgnoreReason.OtherName)]
    [InlineData("PetImages/Cat/Thumbs.db", false, IgnoreReason.OtherName)]
    [InlineData("x/PetImages/Cat/1.jpg", false, IgnoreReason.WrongFolder)]
    [InlineData("PetImages/Cat/sub/1.jpg", false, IgnoreReason.WrongFolder)]
    [InlineData("PetImages/Cat/", false, IgnoreReason.Directory)]
    [InlineData("../x.jpg", false, IgnoreReason.UnsafePath)]
    [InlineData(@"..\x.jpg", false, IgnoreReason.UnsafePath)]
    [InlineData("/etc/PetImages/Cat/1.jpg", false, IgnoreReason.UnsafePath)]
    [InlineData(@"\PetImages\Cat\1.jpg", false, IgnoreReason.UnsafePath)]
    [InlineData("C:/PetImages/Cat/1.jpg", false, IgnoreReason.UnsafePath)]
    [InlineData("PetImages/Cat/./1.jpg", false, IgnoreReason.UnsafePath)]
    [InlineData("PetImages/Cat/1\u0001.jpg", false, IgnoreReason.UnsafePath)]
    public void NameRuleIsTfdsAndRefusesEscapes(string name, bool taken, string? reason)
    {
        Assert.Equal(taken, PetImagesExtractor.TryClassify(name, out _, out _, out var why));
        Assert.Equal(reason, why);
    }

    [Fact]
    public async Task EntryDeclaredLargerThanAnyPhotoIsSkipped()
    {
        string big = temp.PathOf("big.zip");
        using (var zip = System.IO.Compression.ZipFile.Open(big, System.IO.Compression.ZipArchiveMode.Create))
        {
            using (var stream = zip.CreateEntry("PetImages/Cat/1.jpg", System.IO.Compression.CompressionLevel.Fastest).Open())
                stream.Write(new byte[PetImagesExtractor.MaxEntryBytes + 1]);
            using (var stream = zip.CreateEntry("PetImages/Dog/1.jpg").Open())
                stream.Write(PetImagesZipFixture.Jpeg(new Random(3), 1));
        }

        var result = await Extractor().ExtractAsync(big, target);

        Assert.Equal((0, 1), (result.Cats, result.Dogs));
        Assert.Equal(new Dictionary<string, int> { [IgnoreReason.TooLarge] = 1 }, result.Ignored);
    }

    [Fact]
    public async Task CancelledExtractionLeavesNoPetImagesFolderBehind()
    {
        using var cts = new CancellationTokenSource();
        var progress = new ProgressLog { OnReport = p => { if (p.Stage == DownloadStage.Extracting) cts.Cancel(); } };

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => Extractor().ExtractAsync(archive, target, progress, cts.Token));

        Assert.False(CatsDogsDataset.IsPresent(target));
        Assert.Empty(Directory.GetFileSystemEntries(target));
    }

    [Fact]
    public async Task LeftoverFromACrashIsNotPresentAndIsCleanedUp()
    {
        string leftover = Path.Combine(target, PetImagesExtractor.TempPrefix + "crashed");
        Directory.CreateDirectory(Path.Combine(leftover, "Cat"));
        Directory.CreateDirectory(Path.Combine(leftover, "Dog"));
        Assert.False(CatsDogsDataset.IsPresent(target));

        await Extractor().ExtractAsync(archive, target);

        Assert.False(Directory.Exists(leftover));
        Assert.Equal(["PetImages"], Directory.GetFileSystemEntries(target).Select(Path.GetFileName));
    }

    [Fact]
    public async Task ExistingPetImagesFolderIsNeverMergedInto()
    {
        Directory.CreateDirectory(Path.Combine(target, "PetImages", "Cat"));

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => Extractor().ExtractAsync(archive, target));

        Assert.Contains("already exists", error.Message);
        Assert.Empty(Directory.GetFiles(Path.Combine(target, "PetImages", "Cat")));
    }

    [Fact]
    public async Task ShortDiskIsRefusedBeforeWriting()
    {
        var error = await Assert.ThrowsAsync<InsufficientDiskSpaceException>(
            () => Extractor(new FixedDiskSpace(1000)).ExtractAsync(archive, target));

        Assert.Contains("extracting 44 images", error.Message);
        Assert.False(Directory.Exists(Path.Combine(target, "PetImages")));
    }

    [Fact]
    public void FixtureFilesAreWhatTheirKindSays()
    {
        using var zip = System.IO.Compression.ZipFile.OpenRead(archive);
        foreach (var entry in Zip.Entries.Where(e => e.Kind != FixtureKind.Directory))
        {
            using var stream = zip.GetEntry(entry.Name)!.Open();
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            var bytes = copy.ToArray();
            bool jfifIn512 = Encoding.ASCII.GetString(bytes, 0, Math.Min(512, bytes.Length)).Contains("JFIF");
            bool decodes;
            try { using var image = Image.Load(bytes); decodes = true; } catch (Exception) { decodes = false; }

            var (expectJfif, expectDecode) = entry.Kind switch
            {
                FixtureKind.Jpeg or FixtureKind.WrongFolder or FixtureKind.Escape or FixtureKind.Duplicate => (true, true),
                FixtureKind.JpegWithoutJfif or FixtureKind.JpegJfifAfter512 => (false, true),
                FixtureKind.PngNamedJpg => (false, true),
                FixtureKind.TruncatedJpeg => (true, false),
                _ => (false, false),
            };
            Assert.True(expectJfif == jfifIn512, $"{entry.Name}: JFIF in first 512 bytes = {jfifIn512}");
            Assert.True(expectDecode == decodes, $"{entry.Name}: decodes = {decodes}");
        }
        Assert.Equal((38, 6, 1, (20, 17)), (Zip.KeptByJfifRule, Zip.SkippedByJfifRule, Zip.KeptButUndecodable, Zip.Usable));
    }
}
