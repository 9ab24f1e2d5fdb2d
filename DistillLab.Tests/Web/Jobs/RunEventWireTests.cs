using DistillLab.Core.Experiments;
using DistillLab.Core.Training;
using DistillLab.Web.Jobs;
using DistillLab.Web.Runs;

namespace DistillLab.Tests.Web.Jobs;

/// <summary>A run event crosses processes as a NOTIFY payload and comes out as the same event.</summary>
public sealed class RunEventWireTests
{
    private static readonly EpochMetrics Metrics = new(3, 0.81, 0.42, 0.77, 0.5, 1.5, 200, 0.3, 0.1);

    [Fact]
    public void AnEpochEventComesBackWithItsTypeRunMetricsStampAndTheSendersProgress()
    {
        var sent = new EpochCompletedEvent("run-1", ModelRole.StudentDistilled, Metrics) { At = new DateTimeOffset(2026, 12, 2, 14, 0, 0, TimeSpan.Zero) };
        var progress = new RunProgress(ModelRole.StudentDistilled, 3, 5, 10, 10, 4.5);

        var wire = RunEventWire.Parse(new RunEventWire("worker-a/1", sent, "training", progress).ToJson())!;

        Assert.Equal(sent, Assert.IsType<EpochCompletedEvent>(wire.Event));
        Assert.Equal(sent.At, wire.Event.At);
        Assert.Equal(("worker-a/1", "training", progress), (wire.Origin, wire.Stage, wire.Progress));
    }

    [Fact]
    public void EveryRunEventTheHubSendsFitsInOneNotify()
    {
        var views = ModelView.Empty with { TestAccuracy = 0.9, Parameters = 9_568_898 };
        RunEvent[] events =
        [
            new RunQueuedEvent("run-1", 2, new LabConfig(), true), new RunStartedEvent("run-1", "run-0"),
            new PhaseStartedEvent("run-1", ModelRole.Teacher, 8, 582, 9_568_898),
            new BatchProgressEvent("run-1", ModelRole.Teacher, 1, 8, 10, 582, 0.69, 120),
            new EpochCompletedEvent("run-1", ModelRole.Teacher, Metrics), new RunCompletedEvent("run-1", views, views, views, 3600),
            new RunFailedEvent("run-1", new string('x', 2000)), new RunCancelledEvent("run-1"), new RunChangedEvent("run-1"),
        ];
        foreach (var e in events)
        {
            string json = new RunEventWire("worker-a/1", e, "training", null).ToJson();
            Assert.True(json.Length < RunEventWire.MaxBytes, $"{e.GetType().Name}: {json.Length} bytes");
            Assert.Equal(e.GetType(), RunEventWire.Parse(json)!.Event.GetType());
        }
    }

    [Fact]
    public void AnEventTypeThisVersionDoesNotKnowIsIgnored()
    {
        string json = new RunEventWire("w", new RunChangedEvent("run-1"), null, null).ToJson().Replace("RunChangedEvent", "RunTeleportedEvent");

        Assert.Null(RunEventWire.Parse(json));
    }
}
