using System.Diagnostics;
using DistillLab.Core.Experiments;
using DistillLab.Core.Runtime;
using DistillLab.Web.Settings;
using Microsoft.Extensions.Options;
using DistillLab.Core.Training;
using DistillLab.Core.Data;
using DistillLab.Core;
using DistillLab.Web.Runs;
using DistillLab.Web.Studies;

namespace DistillLab.Web.Training;

/// <summary>Takes runs off the queue one at a time and trains each on a dedicated long-running thread.
/// A failed run is recorded and the service goes on with the next.</summary>
/// <remarks>Studies wait in the same queue (<see cref="TrainingQueue"/>) and train on the same thread (StudyExecution).</remarks>
public sealed class TrainingService(
    RunRequests requests, RunRegistry registry, RunEventStream events, ModelReuse reuse,
    ILabEngine engine, StudyRequests studies, StudyExecution studyExecution,
    IOptions<DashboardOptions> dashboard, IConfiguration configuration, ILogger<TrainingService> logger) : BackgroundService
{
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        // libtorch is set up once per process (Torch section: device, LibTorchPath, threads) before any run.
        TorchRuntime.Configure(configuration.GetSection("Torch").Get<TorchSettings>() ?? new TorchSettings());
        int interrupted = registry.MarkInterrupted();
        if (interrupted > 0) logger.LogWarning("{Count} run(s) were left unfinished by the last server and are marked interrupted", interrupted);
        // A study goes on where it was: its finished trials are stored, the ones left train when its turn comes.
        int resumed = studies.ResumeUnfinished();
        if (resumed > 0) logger.LogInformation("{Count} study(ies) left unfinished by the last server are queued again", resumed);
        return base.StartAsync(cancellationToken);
    }

    // One thread for the service's whole life: TorchSharp's dispose scopes are per thread, and a fresh
    // thread per run made glibc hand libtorch a fresh malloc arena each run (the process grew run by run).
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.Factory.StartNew(() => TrainLoop(stoppingToken), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private void TrainLoop(CancellationToken stoppingToken)
    {
        Thread.CurrentThread.Name = "DistillLab training";
        try
        {
            var queue = requests.Queue.Reader;
            while (queue.WaitToReadAsync(stoppingToken).AsTask().GetAwaiter().GetResult())
            {
                while (queue.TryRead(out var work))
                {
                    if (work.IsStudy)
                    {
                        requests.Queue.TrainingStudy = work.Id;
                        try { studyExecution.Run(work.Id, stoppingToken); }
                        finally { requests.Queue.TrainingStudy = null; }
                        continue;
                    }
                    var id = work.Id;
                    var live = registry.Live(id);
                    if (live is null || !live.TryClaim()) continue;
                    logger.LogInformation("Run {RunId} starts", id);
                    using var stop = CancellationTokenSource.CreateLinkedTokenSource(live.Cancellation.Token, stoppingToken);
                    RunOne(live, stop.Token);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { }
    }

    private void RunOne(LiveRun live, CancellationToken cancellationToken)
    {
        try
        {
            if (cancellationToken.IsCancellationRequested) throw new OperationCanceledException(cancellationToken);
            Train(live, cancellationToken);
        }
        catch (OperationCanceledException) when (!live.CancelRequested)
        {
            // The server is stopping, not the user cancelling: the run could not finish.
            End(live, RunStatus.Interrupted, "The server stopped while this run was training.");
        }
        catch (OperationCanceledException)
        {
            End(live, RunStatus.Cancelled, "Cancelled.");
            events.Publish(new RunCancelledEvent(live.Id));
        }
        catch (Exception e)
        {
            logger.LogError(e, "Run {RunId} failed", live.Id);
            End(live, RunStatus.Failed, e.Message);
            events.Publish(new RunFailedEvent(live.Id, e.Message));
        }
    }

    private void End(LiveRun live, RunStatus status, string? error)
    {
        live.Update(s => s with { Status = status, Error = error, FinishedAt = DateTimeOffset.UtcNow, Stage = null, Progress = null });
        registry.Finish(live);
    }

    private void Train(LiveRun live, CancellationToken cancellationToken)
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
        using var outcome = engine.Run(config, e => OnLabEvent(live, e, progress), cancellationToken);
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

    private static readonly TimeSpan EpochEventWait = TimeSpan.FromMilliseconds(250);

    // Histories stay with the live run (and the store's epochs); the saved views carry the results.
    private static ModelView Tested(ModelView model, ModelResult result) => model.Tested(result) with { History = [] };

    private void OnLabEvent(LiveRun live, LabEvent labEvent, PhaseClock throttle)
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
