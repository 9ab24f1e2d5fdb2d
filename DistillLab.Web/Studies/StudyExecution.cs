using DistillLab.Core;
using DistillLab.Core.Data;
using DistillLab.Core.Studies;
using DistillLab.Core.Training;
using DistillLab.Web.Runs;
using DistillLab.Web.Settings;
using DistillLab.Web.Training;
using Microsoft.Extensions.Options;

namespace DistillLab.Web.Studies;

/// <summary>Trains one study on the training thread (TrainingService hands it over): keeps its live state, stores each
/// finished teacher, baseline and trial as it finishes, and publishes the study's events and its model's run events.</summary>
public sealed class StudyExecution(StudyRegistry registry, RunEventStream events, IStudyEngine engine, StudyTeacherLookup lookup,
    StudyTeachers teachers, StudyBestModels bestModels, IOptions<DashboardOptions> dashboard, ILogger<StudyExecution> logger)
{
    private static readonly TimeSpan EpochEventWait = TimeSpan.FromMilliseconds(250);

    /// <summary>Trains the study unless it was cancelled while it waited; never throws (a failed study is recorded).</summary>
    internal void Run(string id, CancellationToken stoppingToken)
    {
        var live = registry.Live(id);
        if (live is null || !live.TryClaim()) return;
        logger.LogInformation("Study {StudyId} starts", id);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(live.Cancellation.Token, stoppingToken);
        try
        {
            stop.Token.ThrowIfCancellationRequested();
            Train(live, stop.Token);
        }
        catch (OperationCanceledException) when (!live.CancelRequested)
        {
            // The server stops: the study stays running in the store, and the next start goes on with the trials left.
            logger.LogInformation("Study {StudyId} stops with the server; it goes on after a restart", id);
        }
        catch (OperationCanceledException)
        {
            End(live, StudyStatus.Cancelled, "Cancelled.");
            events.Publish(new StudyCancelledEvent(id));
        }
        catch (Exception e)
        {
            logger.LogError(e, "Study {StudyId} failed", id);
            End(live, StudyStatus.Failed, e.Message);
            events.Publish(new StudyFailedEvent(id, e.Message));
        }
    }

    private void End(LiveStudy live, StudyStatus status, string? error)
    {
        live.Update(s => s with { Status = status, Error = error, FinishedAt = DateTimeOffset.UtcNow, Stage = null, Current = null });
        registry.Finish(live);
    }

    private void Train(LiveStudy live, CancellationToken cancellationToken)
    {
        var id = live.Id;
        live.Update(s => s with { Status = StudyStatus.Running, StartedAt = s.StartedAt ?? DateTimeOffset.UtcNow, Stage = "loading data" });
        var started = live.Snapshot(null);
        registry.Record(s => s.Update(started));
        events.Publish(new StudyStartedEvent(id, started.Trials.Count));

        var config = started.Config;
        var throttle = new PhaseClock(dashboard.Value.BatchProgressPerSecond);
        var callbacks = new StudyCallbacks
        {
            ReusableTeacher = seed => lookup.Find(config, seed),
            WorkFolder = teachers.StudyDirectory(id),
            TeacherReady = teacher =>
            {
                live.Update(s => s with { Teachers = [.. s.Teachers.Where(t => t.Seed != teacher.Seed), teacher] });
                // Only a teacher this study trained is kept for reuse; a reused one stays its origin's.
                if (!teacher.Reused) teachers.Keep(id, teacher.Seed); // its file first: the entry says it can be reused
                registry.Record(s => s.AddTeacher(id, teacher, teacher.Reused ? null : StudyTeachers.Key(config, teacher.Seed)));
                events.Publish(new TeacherReadyEvent(id, teacher));
            },
            BaselineCompleted = baseline =>
            {
                live.Update(s => s with { Baseline = [.. s.Baseline.Where(b => b.Seed != baseline.Seed), baseline], Current = null });
                registry.Record(s => s.AddBaseline(id, baseline));
                events.Publish(new BaselineCompletedEvent(id, baseline));
            },
            TrialStarted = key =>
            {
                live.Update(s => s with { Stage = $"trial {key}", Current = new StudyProgress(key.Seed, ModelRole.StudentDistilled, key, 0, config.Base.StudentEpochs, 0, 0, []) });
                events.Publish(new TrialStartedEvent(id, key));
            },
            TrialFinished = trial =>
            {
                live.Update(s => s with { Trials = [.. s.Trials, trial], Current = null });
                registry.Record(s => s.AddTrial(id, trial));
                events.PublishAndWait(StudyEvent.TrialEnded(id, trial), EpochEventWait);
            },
            ModelEvent = (seed, trial, e) => OnModelEvent(live, seed, trial, e, throttle),
            BestStudent = best => bestModels.Keep(id, best),
        };
        var done = new StudyFinishedParts(started.Teachers, started.Baseline, started.Trials);
        var outcome = engine.Run(config, done, callbacks, cancellationToken);
        live.Update(s => s with
        {
            Status = StudyStatus.Completed, FinishedAt = DateTimeOffset.UtcNow, Best = outcome.Best, TotalSeconds = outcome.TotalSeconds,
            Stage = null, Current = null,
        });
        registry.Finish(live);
        events.Publish(new StudyCompletedEvent(id, outcome.Best, outcome.TotalSeconds));
        // The students were kept for a resume's confirm step; the best setting's stay as best-seed<N>.ckpt for download,
        // and the teachers for reuse.
        teachers.DeleteStudents(id);
        logger.LogInformation("Study {StudyId} completed in {Seconds:F1} s", id, outcome.TotalSeconds);
    }

    private void OnModelEvent(LiveStudy live, int seed, TrialKey? trial, LabEvent labEvent, PhaseClock throttle)
    {
        var id = live.Id;
        switch (labEvent)
        {
            case DataProgress p:
                live.Update(s => s with { Stage = $"{p.Stage} {p.Done}/{p.Total}" });
                if (throttle.Allow()) events.Publish(new RunChangedEvent(id));
                break;
            case PhaseStarted p:
                throttle.StartPhase(p.Epochs * p.BatchesPerEpoch);
                live.Update(s => s with
                {
                    Stage = trial is { } t ? $"trial {t}" : $"seed {seed}: {ModelRoles.Label(p.Model)}",
                    Current = new StudyProgress(seed, p.Model, trial, 1, p.Epochs, 0, p.BatchesPerEpoch, []),
                });
                events.Publish(new PhaseStartedEvent(id, p.Model, p.Epochs, p.BatchesPerEpoch, p.Parameters));
                break;
            case BatchProgress b:
                var left = throttle.SecondsLeft((b.Epoch - 1) * b.Batches + b.Batch);
                live.Update(s => s with { Current = s.Current is { } c ? c with { Epoch = b.Epoch, Epochs = b.Epochs, Batch = b.Batch, Batches = b.Batches } : null });
                if (throttle.Allow() || b.Batch == b.Batches)
                    events.Publish(new BatchProgressEvent(id, b.Model, b.Epoch, b.Epochs, b.Batch, b.Batches, b.Loss, left));
                break;
            case EpochCompleted e:
                live.Update(s => s with { Current = s.Current is { } c ? c with { History = [.. c.History, e.Metrics] } : null });
                events.PublishAndWait(new EpochCompletedEvent(id, e.Model, e.Metrics), EpochEventWait);
                break;
        }
    }
}
