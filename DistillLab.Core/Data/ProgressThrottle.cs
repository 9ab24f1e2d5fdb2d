using System.Diagnostics;

namespace DistillLab.Core.Data;

/// <summary>Forwards progress of one stage at most ~10 times a second, from any thread, never out of order.</summary>
/// <remarks>Decoding reports once per file from every core; a dashboard or terminal only needs a few updates a second.</remarks>
internal sealed class ProgressThrottle(Action<DataProgress>? sink, string stage)
{
    private static readonly long interval = Stopwatch.Frequency / 10;
    private readonly Lock gate = new();
    private long lastTimestamp = long.MinValue / 2;
    private int lastDone = -1;

    public void Report(int done, int total)
    {
        if (sink is null) return;
        long now = Stopwatch.GetTimestamp();
        lock (gate)
        {
            // Workers finish out of order: an older count arriving late must not move the bar backwards.
            if (done <= lastDone) return;
            if (done < total && now - lastTimestamp < interval) return;
            lastTimestamp = now;
            lastDone = done;
            sink(new DataProgress(stage, done, total));
        }
    }
}
