using System.Globalization;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace DistillLab.Core.Data;

/// <summary>MNIST-family IDX data: the train pair is the pool (its last 10 % the validation set),
/// the t10k pair the test set. Grayscale is replicated to 3 channels and resized bilinearly.</summary>
internal static class IdxSource
{
    /// <summary>The idx split: the train file's first 90 % (of the limit) train, the rest validation, t10k test; no seed.</summary>
    public const string SplitRule = "idx: train file 90/10, t10k test";

    private static readonly Configuration configuration = new() { MaxDegreeOfParallelism = 1 };

    public static LabData Load(string sourceText, string dir, int imageSize, ResizeMethod resize, int? limit, Action<DataProgress>? progress, CancellationToken ct,
        int chunkBytes = ImageSet.DefaultChunkBytes, Action<IEnumerable<(string Shown, string FullPath)>>? checkFiles = null)
    {
        if (!Directory.Exists(dir))
            throw new DataSourceException($"The IDX folder '{dir}' does not exist. An idx source needs train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte and t10k-labels-idx1-ubyte (each may end in .gz).");
        var paths = new[] { ("train", "images-idx3"), ("train", "labels-idx1"), ("t10k", "images-idx3"), ("t10k", "labels-idx1") }
            .Select(p => IdxFile.Find(dir, p.Item1, p.Item2)).OfType<string>().ToList();
        checkFiles?.Invoke(paths.Select(p => (Path.GetFileName(p), p)));
        var (trainImages, trainLabels) = ReadPair(dir, "train");
        var (testImages, testLabels) = ReadPair(dir, "t10k");
        if (trainImages.Rows != testImages.Rows || trainImages.Columns != testImages.Columns)
            throw new DataSourceException($"The IDX train images are {trainImages.Rows}x{trainImages.Columns} but the t10k images are {testImages.Rows}x{testImages.Columns}; both sets must have one size.");

        int poolCount = limit is { } l ? Math.Min(l, trainImages.Count) : trainImages.Count;
        int validation = poolCount / 10;
        int train = poolCount - validation;
        if (train < 1 || validation < 1 || testImages.Count < 1)
            throw new DataSourceException($"The IDX data gives {train} training, {validation} validation and {testImages.Count} test images; each split needs at least one (a pool of at least 10 images).");

        int classCount = Math.Max(trainLabels.Take(poolCount).DefaultIfEmpty().Max(), testLabels.DefaultIfEmpty().Max()) + 1;
        var classes = Enumerable.Range(0, classCount).Select(i => i.ToString(CultureInfo.InvariantCulture)).ToList();

        var throttle = new ProgressThrottle(progress, "decode");
        int total = poolCount + testImages.Count, done = 0;
        void Tick() => throttle.Report(Interlocked.Increment(ref done), total);
        var pool = Convert(trainImages, trainLabels, 0, poolCount, imageSize, resize, chunkBytes, Tick, ct);
        var test = Convert(testImages, testLabels, 0, testImages.Count, imageSize, resize, chunkBytes, Tick, ct);
        var trainSet = pool.Select(Enumerable.Range(0, train).ToList());
        var validationSet = pool.Select(Enumerable.Range(train, validation).ToList());
        return new LabData(sourceText, classes, trainSet, validationSet, test, new SortedDictionary<string, int>())
        {
            Fingerprint = SourceFingerprint.Hex(SourceFingerprint.OfFiles(paths)),
            Split = SplitRule,
        };
    }

    private static ((byte[] Data, int Count, int Rows, int Columns) Images, byte[] Labels) ReadPair(string dir, string prefix)
    {
        string? imagesPath = IdxFile.Find(dir, prefix, "images-idx3");
        string? labelsPath = IdxFile.Find(dir, prefix, "labels-idx1");
        if (imagesPath is null || labelsPath is null)
            throw new DataSourceException($"The IDX folder '{dir}' lacks {(imagesPath is null ? $"{prefix}-images-idx3-ubyte" : $"{prefix}-labels-idx1-ubyte")} (plain or .gz). An idx source needs train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte and t10k-labels-idx1-ubyte.");
        var images = IdxFile.ReadImages(imagesPath);
        var labels = IdxFile.ReadLabels(labelsPath);
        if (images.Count != labels.Length)
            throw new DataSourceException($"The IDX files '{Path.GetFileName(imagesPath)}' and '{Path.GetFileName(labelsPath)}' disagree: {images.Count} images but {labels.Length} labels.");
        return (images, labels);
    }

    private static ImageSet Convert((byte[] Data, int Count, int Rows, int Columns) source, byte[] labels,
        int from, int count, int size, ResizeMethod resize, int chunkBytes, Action tick, CancellationToken ct)
    {
        int plane = size * size, sourceBytes = source.Rows * source.Columns;
        var labelsOfSet = labels.AsSpan(from, count).ToArray().Select(b => (int)b).ToArray();
        var set = new ImageSet(labelsOfSet, 3, size, chunkBytes);
        var options = new ParallelOptions { CancellationToken = ct, MaxDegreeOfParallelism = Environment.ProcessorCount };
        Parallel.For(0, count, options, i =>
        {
            var gray = source.Data.AsSpan((from + i) * sourceBytes, sourceBytes);
            var target = set.ImageForWrite(i);
            if (source.Rows == size && source.Columns == size)
                gray.CopyTo(target);
            else if (resize == ResizeMethod.Lab)
            {
                using var image = Image.LoadPixelData<L8>(configuration, gray, source.Columns, source.Rows).CloneAs<Rgb24>(configuration);
                TensorFlowResize.ToChw(image, size, target);
                tick();
                return; // all three planes written
            }
            else
            {
                using var image = Image.LoadPixelData<L8>(configuration, gray, source.Columns, source.Rows);
                image.Mutate(x => x.Resize(new ResizeOptions { Size = new Size(size, size), Mode = ResizeMode.Stretch, Sampler = KnownResamplers.Triangle }));
                image.CopyPixelDataTo(target[..plane]);
            }
            // Grayscale becomes RGB by repeating the one plane, so the lab's 3-channel models take it as is.
            target[..plane].CopyTo(target.Slice(plane, plane));
            target[..plane].CopyTo(target.Slice(2 * plane, plane));
            tick();
        });
        return set;
    }
}
