using System.Threading.Channels;

namespace DistillLab.Web.Training;

/// <summary>What waits for the training thread: a run or a whole study.</summary>
public sealed record QueuedWork(string Id, bool IsStudy)
{
    public static QueuedWork Run(string id) => new(id, false);
    public static QueuedWork Study(string id) => new(id, true);
}

/// <summary>The one queue in front of the one training thread. Runs and studies wait in it together, first come first
/// served: a study is one item, so runs submitted while it trains wait until it ends (docs/studies-dashboard.md says why).</summary>
/// <remarks>Unbounded: what bounds waiting work is the number of waiting runs and studies (RunRequests, StudyRequests),
/// not the channel's length, because a cancelled queued item stays here until the training thread skips it.</remarks>
public sealed class TrainingQueue
{
    private readonly Channel<QueuedWork> channel = Channel.CreateUnbounded<QueuedWork>(new UnboundedChannelOptions { SingleReader = true });

    public void Enqueue(QueuedWork work) => channel.Writer.TryWrite(work); // unbounded: always accepted

    internal ChannelReader<QueuedWork> Reader => channel.Reader;

    /// <summary>The study the training thread works on now; null when none (a run, or nothing, trains).</summary>
    public string? TrainingStudy { get; internal set; }
}
