using DistillLab.Core.Data;
using DistillLab.Core.Inference;
using DistillLab.Web.Settings;
using Microsoft.Extensions.Options;
using DistillLab.Web.Hosting;

namespace DistillLab.Web.Predictions;

/// <summary>Too many uploads are being decoded; the message is safe to show, <see cref="RetryAfter"/> goes into the header.</summary>
public sealed class UploadsBusyException(string message, TimeSpan retryAfter) : Exception(message)
{
    public TimeSpan RetryAfter { get; } = retryAfter;
}

/// <summary>Decodes uploaded pictures, a bounded number at once, for the API and the Predictions page alike.</summary>
/// <remarks>A 150 KB PNG may declare 49 megapixels and take ~160 MB to decode, so the bound is on decodes, not on
/// requests: <c>ConcurrentDecodes</c> decode, <c>WaitingDecodes</c> more wait up to <c>DecodeWaitSeconds</c>, and any
/// other is refused at once rather than queued, so memory stays bounded however many arrive.</remarks>
public class UploadDecoder(IOptions<DashboardOptions> options)
{
    /// <summary>What a refused upload is told to wait: a 49-megapixel decode takes about a second on two cores.</summary>
    public static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(2);

    private readonly SemaphoreSlim slots = new(options.Value.ConcurrentDecodes, options.Value.ConcurrentDecodes);
    private int admitted;

    /// <summary>Uploads decoding or waiting to, right now.</summary>
    public int Admitted => Volatile.Read(ref admitted);

    /// <summary>The picture decoded to the run's size, off the caller's thread.</summary>
    /// <exception cref="UploadsBusyException">All decode slots and waiting places are taken, or no slot freed in time.</exception>
    /// <exception cref="ImageRejectedException">The file is not a usable picture (or too large to decode).</exception>
    public async Task<ImageSet> DecodeAsync(byte[] bytes, int imageSize, ResizeMethod resize, CancellationToken cancellationToken = default)
    {
        var o = options.Value;
        long limit = (long)o.MaxDecodeMegabytes << 20;
        // A picture refused on its header alone is told so at once, whether or not the decodes are busy.
        ImageDecoder.Check(bytes, limit);
        if (Interlocked.Increment(ref admitted) > o.ConcurrentDecodes + o.WaitingDecodes)
        {
            Interlocked.Decrement(ref admitted);
            throw Busy($"The server is decoding as many uploaded pictures as it takes at once ({o.ConcurrentDecodes} decoding, {o.WaitingDecodes} waiting).");
        }
        try
        {
            if (!await slots.WaitAsync(TimeSpan.FromSeconds(o.DecodeWaitSeconds), cancellationToken))
                throw Busy($"The server is busy: no decode of an uploaded picture freed up within {o.DecodeWaitSeconds} s.");
            try
            {
                return await Task.Run(() => DecodeAndReturnMemory(bytes, imageSize, resize, limit), CancellationToken.None);
            }
            finally { slots.Release(); }
        }
        finally { Interlocked.Decrement(ref admitted); }
    }

    private ImageSet DecodeAndReturnMemory(byte[] bytes, int imageSize, ResizeMethod resize, long maxDecodeBytes)
    {
        try { return Decode(bytes, imageSize, resize, maxDecodeBytes); }
        finally
        {
            // Every decode hands its memory back at once (a trim takes 0.3-12 ms, a 49-megapixel decode ~1 s): freed
            // buffers left in one thread's malloc arena are not reused by a decode on another thread, so without this
            // the peak grew past what the concurrent decodes need, and ~300 MB stayed after the burst.
            ImageDecoder.ReleaseRetainedMemory();
            NativeHeap.Trim();
        }
    }

    /// <summary>One decode, on a pool thread while holding a slot; tests override it to hold slots deterministically.</summary>
    protected virtual ImageSet Decode(byte[] bytes, int imageSize, ResizeMethod resize, long maxDecodeBytes) =>
        ImageDecoder.Decode(bytes, imageSize, resize, maxDecodeBytes);

    private static UploadsBusyException Busy(string why) => new($"{why} Try again in {RetryAfter.TotalSeconds:0} s.", RetryAfter);
}
