
namespace DistillLab.Core.Data;

/// <summary>Decodes a listed file source in listing order, in parallel on all cores, until the limit is met.</summary>
internal static class PoolDecoder
{
    public const int Channels = 3;
    /// <summary>No JPEG or PNG photo of at most <see cref="ImageFileDecoder.MaxPixels"/> pixels needs more bytes than this.</summary>
    public const long MaxFileBytes = 256L << 20;

    /// <param name="chunkBytes">Chunk size of the resulting <see cref="ImageSet"/>; tests make it small.</param>
    public static DecodedPool Decode(SourceListing listing, int imageSize, ResizeMethod resize, int? limit, Action<DataProgress>? progress,
        CancellationToken ct, int chunkBytes = ImageSet.DefaultChunkBytes)
    {
        var files = listing.Files;
        bool jfifFilter = listing.Filter == PetImagesSource.Filter;
        int imageBytes = Channels * imageSize * imageSize;
        var images = new byte[]?[files.Count];
        var outcomes = new byte[files.Count];
        var throttle = new ProgressThrottle(progress, "decode");
        int processed = 0, usable = 0, done = 0;

        // With a limit we only decode about as many files as needed, a chunk at a time, so --limit 500 on a
        // 25,000-photo folder takes seconds; without one, everything is one parallel loop.
        while (processed < files.Count && (limit is null || usable < limit))
        {
            int chunk = limit is null ? files.Count : Math.Max(64, (int)Math.Min(int.MaxValue, (limit.Value - usable) * 5L / 4));
            int end = (int)Math.Min(files.Count, (long)processed + chunk);
            int total = limit is null ? files.Count : end;
            var options = new ParallelOptions { CancellationToken = ct, MaxDegreeOfParallelism = Environment.ProcessorCount };
            Parallel.For(processed, end, options, i =>
            {
                var buffer = new byte[imageBytes];
                string? reason = DecodeOne(files[i], jfifFilter, imageSize, resize, buffer);
                if (reason is null) images[i] = buffer;
                outcomes[i] = reason is null ? SkipReasons.Ok : SkipReasons.Code(reason);
                throttle.Report(Interlocked.Increment(ref done), total);
            });
            for (int i = processed; i < end; i++)
                if (outcomes[i] == SkipReasons.Ok && (limit is null || usable < limit)) usable++;
            processed = end;
        }

        // Outcomes beyond the file that met the limit are dropped: the pool then says exactly what was used.
        int cut = processed;
        if (limit is { } l && usable >= l)
        {
            int seen = 0;
            for (cut = 0; seen < l; cut++)
                if (outcomes[cut] == SkipReasons.Ok) seen++;
        }
        return new DecodedPool(outcomes[..cut], cut == files.Count, Gather(images, outcomes, cut, listing, imageSize, chunkBytes));
    }

    private static string? DecodeOne(SourceFile file, bool jfifFilter, int imageSize, ResizeMethod resize, byte[] buffer)
    {
        if (file.SkipByName is { } byName) return byName;
        // Reading a huge file whole just to refuse it would cost the memory the pixel limit is there to save.
        if (file.Length > MaxFileBytes) return SkipReasons.TooLarge;
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(file.FullPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return SkipReasons.Unreadable;
        }
        // TFDS filters before anything else, so an empty or PNG file named .jpg counts as no-jfif-header there.
        if (jfifFilter && !PetImagesSource.PassesJfifFilter(bytes)) return SkipReasons.NoJfifHeader;
        return ImageFileDecoder.TryDecode(bytes, imageSize, buffer, resize);
    }

    private static ImageSet Gather(byte[]?[] images, byte[] outcomes, int cut, SourceListing listing, int imageSize, int chunkBytes)
    {
        var labels = new List<int>();
        for (int i = 0; i < cut; i++)
            if (outcomes[i] == SkipReasons.Ok) labels.Add(listing.Files[i].Label);
        var set = new ImageSet(labels.ToArray(), Channels, imageSize, chunkBytes);
        for (int i = 0, k = 0; i < cut; i++)
        {
            if (outcomes[i] != SkipReasons.Ok) continue;
            images[i]!.CopyTo(set.ImageForWrite(k++));
            images[i] = null; // the set's chunks are allocated as they fill, so the per-file buffers can go meanwhile
        }
        return set;
    }
}
