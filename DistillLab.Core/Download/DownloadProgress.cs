namespace DistillLab.Core.Download;

/// <summary>What a dataset preparation is doing now.</summary>
public enum DownloadStage { Downloading, Verifying, Extracting }

/// <summary>One progress report: bytes done out of total in the current stage, the rate, and an estimate of the time left.</summary>
/// <param name="BytesDone">Bytes done in this stage, including bytes a resumed download already had.</param>
/// <param name="TotalBytes">Bytes this stage will handle in all.</param>
/// <param name="BytesPerSecond">Rate measured in this session (resumed bytes are not counted as fast).</param>
/// <param name="EstimatedRemaining">Null until a rate is known.</param>
public readonly record struct DownloadProgress(
    DownloadStage Stage,
    long BytesDone,
    long TotalBytes,
    double BytesPerSecond,
    TimeSpan? EstimatedRemaining)
{
    public double Fraction => TotalBytes > 0 ? Math.Clamp((double)BytesDone / TotalBytes, 0, 1) : 0;

    /// <summary>One line for a terminal or a progress bar label, e.g. "Downloading 312.4 / 786.7 MB (40 %), 11.2 MB/s, 0:42 left".</summary>
    public string Describe()
    {
        const double mb = 1024.0 * 1024.0;
        var text = $"{Stage} {BytesDone / mb:N1} / {TotalBytes / mb:N1} MB ({Fraction:P0})";
        if (BytesPerSecond > 0) text += $", {BytesPerSecond / mb:N1} MB/s";
        if (EstimatedRemaining is TimeSpan left) text += $", {(int)left.TotalMinutes}:{left.Seconds:00} left";
        return text;
    }
}

/// <summary>Turns a stream of byte counts into at most a few <see cref="DownloadProgress"/> reports per second.</summary>
internal sealed class ProgressMeter
{
    private readonly IProgress<DownloadProgress>? progress;
    private readonly DownloadStage stage;
    private readonly long total;
    private readonly long startBytes;
    private readonly TimeSpan minInterval;
    private readonly long startTicks;
    private long lastReportTicks;

    public ProgressMeter(IProgress<DownloadProgress>? progress, DownloadStage stage, long total, long startBytes,
        TimeSpan? minInterval = null)
    {
        this.progress = progress;
        this.stage = stage;
        this.total = total;
        this.startBytes = startBytes;
        this.minInterval = minInterval ?? TimeSpan.FromMilliseconds(200);
        startTicks = System.Diagnostics.Stopwatch.GetTimestamp();
        lastReportTicks = long.MinValue;
    }

    /// <summary>Reports if the last report is old enough, or always when <paramref name="force"/> is set.</summary>
    public void Update(long bytesDone, bool force = false)
    {
        if (progress is null) return;
        long now = System.Diagnostics.Stopwatch.GetTimestamp();
        if (!force && lastReportTicks != long.MinValue &&
            System.Diagnostics.Stopwatch.GetElapsedTime(lastReportTicks, now) < minInterval)
            return;
        lastReportTicks = now;
        double seconds = System.Diagnostics.Stopwatch.GetElapsedTime(startTicks, now).TotalSeconds;
        double rate = seconds > 0.05 ? (bytesDone - startBytes) / seconds : 0;
        TimeSpan? left = rate > 0 ? TimeSpan.FromSeconds(Math.Max(0, total - bytesDone) / rate) : null;
        progress.Report(new DownloadProgress(stage, bytesDone, total, rate, left));
    }
}
