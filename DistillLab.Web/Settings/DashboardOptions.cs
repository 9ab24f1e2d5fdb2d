using System.ComponentModel.DataAnnotations;

namespace DistillLab.Web.Settings;

/// <summary>The "Dashboard" section: queue, uploads and their decodes, and how many test images a run keeps for the Predictions page.</summary>
public sealed class DashboardOptions
{
    public const string Section = "Dashboard";

    /// <summary>Runs that may wait in the queue; one more is answered 429.</summary>
    [Range(1, 1000)] public int QueueCapacity { get; set; } = 8;
    [Range(1, 100 * 1024 * 1024)] public long MaxUploadBytes { get; set; } = 10 * 1024 * 1024;
    /// <summary>Uploaded pictures decoded at once (the API and the Predictions page together).</summary>
    [Range(1, 64)] public int ConcurrentDecodes { get; set; } = 2;
    /// <summary>Uploads that may wait for a decode; one more is answered 503 with Retry-After.</summary>
    [Range(0, 1000)] public int WaitingDecodes { get; set; } = 4;
    /// <summary>How long a waiting upload waits for a decode before it too is answered 503.</summary>
    [Range(1, 600)] public int DecodeWaitSeconds { get; set; } = 10;
    /// <summary>Memory one upload's decode is estimated to need at most (decoded RGB plus the decoder's buffers); a
    /// picture over it is refused before decoding.</summary>
    [Range(16, 4096)] public int MaxDecodeMegabytes { get; set; } = 256;
    /// <summary>Test images (with the three models' predictions) stored per finished run.</summary>
    [Range(1, 100_000)] public int StoredTestImages { get; set; } = 500;
    /// <summary>At most this many batch progress events per second reach the page and the hub.</summary>
    [Range(0.1, 100)] public double BatchProgressPerSecond { get; set; } = 5;
}
