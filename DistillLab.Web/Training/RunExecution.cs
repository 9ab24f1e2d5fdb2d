using System.Diagnostics;
using DistillLab.Core;
using DistillLab.Core.Data;
using DistillLab.Core.Experiments;
using DistillLab.Core.Training;
using DistillLab.Web.Runs;
using DistillLab.Web.Settings;
using Microsoft.Extensions.Options;

namespace DistillLab.Web.Training;

/// <summary>How a run's training ended. <see cref="Stopped"/>: the process is stopping (not the user cancelling), and
/// the caller decides what that means (the embedded queue marks the run interrupted; a job hands the run back).</summary>
public enum RunEnd { Completed, Cancelled, Failed, Stopped }

/// <summary>Trains one run: the one execution path for the embedded queue (TrainingService) and a job on a worker
/// (RunJob). Keeps the run's live state, records it through <see cref="RunRegistry"/> and publishes its events.</summary>
public sealed class RunExecution(RunRegistry registry, RunEventStream events, ModelReuse reuse, ILabEngine engine,
    IOptions<DashboardOptions> dashboard, ILogger<RunExecution> logger)
{
    private static readonly TimeSpan EpochEventWait = TimeSpan.FromMilliseconds(250);

    /// <summary>Trains a claimed run to its end and records how it ended; never throws. A stop of the process
    /// (<paramref name="cancellationToken"/> without the run's own cancel) is left to the caller.</summary>
    /// <param name="afterEpoch">Called on the training thread after each stored epoch; throwing
    /// OperationCanceledException there stops the run at an epoch's end (a worker's graceful stop).</param>
    internal RunEnd Run(LiveRun live, CancellationToken cancellationToken, Action? afterEpoch = null)
    {
        try
        {
            cancellationToken.ThrowIfCancellationRequested();
            Train(live, cancellationToken, afterEpoch);
            return RunEnd.Completed;
        }
        catch (OperationCanceledException) when (!live.CancelRequested)
        {
            return RunEnd.Stopped;
        }
        catch (OperationCanceledException)
        {
            End(live, RunStatus.Cancelled, "Cancelled.");
            events.Publish(new RunCancelledEvent(live.Id));
            return RunEnd.Cancelled;
        }
        catch (Exception e)
        {
            logger.LogError(e, "Run {RunId} failed", live.Id);
            End(live, RunStatus.Failed, e.Message);
            events.Publish(new RunFailedEvent(live.Id, e.Message));
            return RunEnd.Failed;
        }
    }

    /// <summary>Stores the run's end state and lets it go from memory.</summary>
    internal void End(LiveRun live, RunStatus status, string? error)
    {
        live.Update(s => s with { Status = status, Error = error, FinishedAt = DateTimeOffset.UtcNow, Stage = null, Progress = null });
        registry.Finish(live);
    }

    private void Train(LiveRun live, CancellationToken cancellationToken, Action? afterEpoch)
    {
        var run = live.Snapshot(null);
        var (config, reused) = run.ReuseTeacher ? reuse.Apply(run.Config) : (run.Config, []);
        // The reused models' curves come along, so this run's charts and exports still show how they learned.
        foreach (var model in reused)
            foreach (var epoch in model.History)
            {
                live.AddEpoch(model.Role, epoch);
                registry.RecordEpoch(live.Id, model.Role, epoch);
            }
        string? From(ModelRole role) => reused.FirstOrDefault(m => m.Role == role)?.OriginRunId;
        live.Update(s => s with
        {
            Status = RunStatus.Running, StartedAt = DateTimeOffset.UtcNow, TeacherReusedFrom = From(ModelRole.Teacher), Stage = "loading data",
            Teacher = s.Teacher with { ReusedFrom = From(ModelRole.Teacher) },
            StudentScratch = s.StudentScratch with { ReusedFrom = From(ModelRole.StudentScratch) },
        });
        registry.RecordState(live);
        events.Publish(new RunStartedEvent(live.Id, From(ModelRole.Teacher), From(ModelRole.StudentScratch)));

        var progress = new PhaseClock(dashboard.Value.BatchProgressPerSecond);
        var clock = Stopwatch.StartNew();
        using var outcome = engine.Run(config, e => OnLabEvent(live, e, progress, afterEpoch), cancellationToken);
        live.Update(s => s with { Stage = "saving models and predictions" });
        events.Publish(new RunChangedEvent(live.Id));
        var result = outcome.Result;
        var now = live.Snapshot(null);
        var (teacher, scratch, distilled) = registry.SaveArtifacts(live.Id, outcome, Tested(now.Teacher, result.Teacher),
            Tested(now.StudentScratch, result.StudentScratch), Tested(now.StudentDistilled, result.StudentDistilled));
        live.Update(s => s with
        {
            Status = RunStatus.Completed, FinishedAt = DateTimeOffset.UtcNow, TotalSeconds = result.TotalSeconds,
            ImageSize = result.ImageSize, Device = result.Device, Data = result.Data,
            Teacher = teacher, StudentScratch = scratch, StudentDistilled = distilled, Insight = result.Insight, Stage = null, Progress = null,
        });
        registry.Finish(live);
        events.Publish(new RunCompletedEvent(live.Id, teacher with { History = [] }, scratch with { History = [] },
            distilled with { History = [] }, result.TotalSeconds));
        logger.LogInformation("Run {RunId} completed in {Seconds:F1} s", live.Id, clock.Elapsed.TotalSeconds);
    }

    // Histories stay with the live run (and the store's epochs); the saved views carry the results.
    private static ModelView Tested(ModelView model, ModelResult result) => model.Tested(result) with { History = [] };

    private void OnLabEvent(LiveRun live, LabEvent labEvent, PhaseClock throttle, Action? afterEpoch)
    {
        switch (labEvent)
        {
            case DataProgress p:
                live.Update(s => s with { Stage = $"{p.Stage} {p.Done}/{p.Total}" });
                if (throttle.Allow()) events.Publish(new RunChangedEvent(live.Id));
                break;
            case DataLoaded d:
                live.Update(s => s with { Data = d.Data, Device = d.Device, ImageSize = d.ImageSize, Stage = "training" });
                registry.RecordState(live);
                events.Publish(new RunChangedEvent(live.Id));
                break;
            case PhaseStarted p:
                throttle.StartPhase(p.Epochs * p.BatchesPerEpoch);
                live.Update(s => WithModel(s, p.Model, m => m with { Parameters = p.Parameters }) with
                {
                    Progress = new RunProgress(p.Model, 1, p.Epochs, 0, p.BatchesPerEpoch, null),
                });
                events.Publish(new PhaseStartedEvent(live.Id, p.Model, p.Epochs, p.BatchesPerEpoch, p.Parameters));
                break;
            case BatchProgress b:
                var left = throttle.SecondsLeft((b.Epoch - 1) * b.Batches + b.Batch);
                var progress = new RunProgress(b.Model, b.Epoch, b.Epochs, b.Batch, b.Batches, left);
                live.Update(s => s with { Progress = progress });
                if (throttle.Allow() || b.Batch == b.Batches)
                    events.Publish(new BatchProgressEvent(live.Id, b.Model, b.Epoch, b.Epochs, b.Batch, b.Batches, b.Loss, left));
                break;
            case EpochCompleted e:
                // Out first (the stamp is the epoch's end), stored after: a disk write must not delay the event.
                live.AddEpoch(e.Model, e.Metrics);
                events.PublishAndWait(new EpochCompletedEvent(live.Id, e.Model, e.Metrics), EpochEventWait);
                registry.RecordEpoch(live.Id, e.Model, e.Metrics);
                afterEpoch?.Invoke();
                break;
            case PhaseCompleted c:
                live.Update(s => WithModel(s, c.Model, m => m.Tested(c.Result)));
                events.Publish(new RunChangedEvent(live.Id));
                break;
        }
    }

    private static RunDetails WithModel(RunDetails s, ModelRole role, Func<ModelView, ModelView> change) => role switch
    {
        ModelRole.Teacher => s with { Teacher = change(s.Teacher) },
        ModelRole.StudentScratch => s with { StudentScratch = change(s.StudentScratch) },
        _ => s with { StudentDistilled = change(s.StudentDistilled) },
    };
}
