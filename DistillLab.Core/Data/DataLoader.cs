using DistillLab.Core.Data.Synthetic;

namespace DistillLab.Core.Data;

/// <summary>Loads a data source into the lab's three splits, decoding file sources once and caching the result.</summary>
public static class DataLoader
{
    /// <summary>A single pool needs this many usable images so that every split gets at least one.</summary>
    public const int MinimumPool = 10;

    /// <summary>Loads, decodes (or reads the decode cache), caps at the limit, shuffles with the seed and splits.</summary>
    /// <param name="progress">Stages: "scan" (files listed), "decode" (done/total files), "cache" (read from the decode cache),
    /// "generate" (synthetic), "split". Called from worker threads during decoding, but never two calls at once.</param>
    /// <exception cref="DataSourceException">The source cannot be used; the message says why and what is allowed.</exception>
    public static LabData Load(DataRequest request, Action<DataProgress>? progress, CancellationToken ct)
        => Load(request, progress, ct, ImageSet.DefaultChunkBytes);

    /// <summary>As above, with the chunk size of the resulting image sets (tests make it small to get many chunks).</summary>
    internal static LabData Load(DataRequest request, Action<DataProgress>? progress, CancellationToken ct, int chunkBytes)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.ImageSize < 1)
            throw new ArgumentOutOfRangeException(nameof(request), $"ImageSize must be at least 1; got {request.ImageSize}.");
        if (request.Limit is < 1)
            throw new ArgumentOutOfRangeException(nameof(request), $"Limit must be at least 1 when given; got {request.Limit}.");

        var spec = DataSourceSpec.Parse(request.Source, request.Environment);
        return spec.Kind switch
        {
            DataSourceKind.Synthetic => LoadSynthetic(request, spec, progress),
            DataSourceKind.Idx => IdxSource.Load(spec.Text, spec.Path!, request.ImageSize, request.Resize ?? ResizeMethods.DefaultFor(spec.Kind), request.Limit, progress, ct, chunkBytes,
                files => CheckFilesStayInside(request.Environment, spec, files)),
            DataSourceKind.Folder => LoadPool(request, spec, List(() => FolderSource.List(spec.Path!), progress), progress, ct, chunkBytes),
            DataSourceKind.PetImages => LoadPool(request, spec,
                List(() => PetImagesSource.List(spec.Path ?? request.Environment.PetImagesDirectory), progress), progress, ct, chunkBytes),
            _ => throw new DataSourceException($"Unknown data source kind in '{request.Source}'. Allowed: {DataSourceSpec.Allowed}."),
        };
    }

    private static LabData LoadSynthetic(DataRequest request, DataSourceSpec spec, Action<DataProgress>? progress)
    {
        int count = request.Limit ?? SyntheticCatsDogs.DefaultCount;
        progress?.Invoke(new DataProgress("generate", 0, count));
        var pool = SyntheticCatsDogs.Generate(count, request.ImageSize, request.Seed);
        progress?.Invoke(new DataProgress("generate", count, count));
        var (train, validation, test) = SyntheticCatsDogs.Split(pool, request.Seed);
        progress?.Invoke(new DataProgress("split", count, count));
        return new LabData(spec.Text, SyntheticCatsDogs.Classes, train, validation, test, new SortedDictionary<string, int>())
            { Split = SyntheticCatsDogs.SplitRule };
    }

    private static SourceListing List(Func<SourceListing> list, Action<DataProgress>? progress)
    {
        try
        {
            var listing = list();
            progress?.Invoke(new DataProgress("scan", listing.Files.Count, listing.Files.Count));
            return listing;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DataSourceException($"The source folder could not be listed: {e.Message}", e);
        }
    }

    private static LabData LoadPool(DataRequest request, DataSourceSpec spec, SourceListing listing, Action<DataProgress>? progress,
        CancellationToken ct, int chunkBytes)
    {
        CheckFilesStayInside(request.Environment, spec, listing.Files.Select(f => (f.RelativePath, f.FullPath)));
        var resize = request.Resize ?? ResizeMethods.DefaultFor(spec.Kind);
        byte[] fingerprint = SourceFingerprint.Of(listing);
        string cachePath = DecodeCache.PathFor(request.Environment.CacheDirectory, listing, request.ImageSize, resize);
        var pool = DecodeCache.TryRead(cachePath, listing, fingerprint, request.ImageSize, resize, chunkBytes);
        if (pool is not null && pool.CanServe(request.Limit))
        {
            progress?.Invoke(new DataProgress("cache", pool.Images.Count, pool.Images.Count));
        }
        else
        {
            pool = PoolDecoder.Decode(listing, request.ImageSize, resize, request.Limit, progress, ct, chunkBytes);
            TryWriteCache(cachePath, listing, fingerprint, pool, resize);
        }

        var (images, skipped) = pool.Take(request.Limit);
        if (images.Count < MinimumPool)
            throw new DataSourceException($"The source '{spec.Text}' has only {images.Count} usable images (skipped: {Describe(skipped)}); at least {MinimumPool} are needed so that train, validation and test each get one.");
        if (request.TfdsSplit)
        {
            if (spec.Kind != DataSourceKind.PetImages || request.Limit is not null)
                throw new DataSourceException("The TFDS split is the reference lab's split of the whole petimages set: it needs --data petimages and no --limit.");
            // TFDS keys each record by its path in the archive, which begins with PetImages/.
            var keys = listing.Files.Where((_, i) => i < pool.Outcomes.Length && pool.Outcomes[i] == SkipReasons.Ok)
                .Select(f => "PetImages/" + f.RelativePath).ToList();
            var (train, validation, test) = TfdsSplit.Split(images, keys);
            progress?.Invoke(new DataProgress("split", images.Count, images.Count));
            return new LabData(spec.Text, listing.Classes, train, validation, test, skipped)
                { Fingerprint = SourceFingerprint.Hex(fingerprint), Split = TfdsSplit.Rule };
        }
        return Split(spec.Text, listing.Classes, images, skipped, request.Seed, progress) with { Fingerprint = SourceFingerprint.Hex(fingerprint) };
    }

    /// <summary>With data roots (the dashboard), a file that is a link out of them, or sits under a linked folder,
    /// refuses the whole source: training on it would also serve it back as a test image.</summary>
    private static void CheckFilesStayInside(LabEnvironment environment, DataSourceSpec spec, IEnumerable<(string Shown, string FullPath)> files)
    {
        if (environment.DataRoots is not { } roots) return;
        // DistillLab's own folder holds the downloaded photos (petimages without a path).
        new DataRoots(roots.Append(environment.DataDirectory)).CheckFiles(spec.Text, files);
    }

    // The cache only saves time: a read-only or full disk must not fail a run that has already decoded everything.
    private static void TryWriteCache(string path, SourceListing listing, byte[] fingerprint, DecodedPool pool, ResizeMethod resize)
    {
        try
        {
            DecodeCache.Write(path, listing, fingerprint, pool, resize);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
    }

    private static LabData Split(string source, IReadOnlyList<string> classes, ImageSet pool,
        IReadOnlyDictionary<string, int> skipped, int seed, Action<DataProgress>? progress)
    {
        var (train, validation, test) = PoolSplit.Split(pool, seed);
        progress?.Invoke(new DataProgress("split", pool.Count, pool.Count));
        return new LabData(source, classes, train, validation, test, skipped);
    }

    private static string Describe(IReadOnlyDictionary<string, int> skipped)
        => skipped.Count == 0 ? "none" : string.Join(", ", skipped.Select(p => $"{p.Value} {p.Key}"));
}
