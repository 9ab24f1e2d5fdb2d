using System.Collections.Concurrent;
using System.Collections.Immutable;
using DistillLab.Core.Training;

namespace DistillLab.Web.Runs;

/// <summary>What a dashboard knows of the runs other processes train (the postgres job engine) beyond the store: the
/// stage and batch progress it never stores, and the epochs that arrived as events before their write landed.
/// Fed by the cross-process event bridge; <see cref="RunRegistry"/> lays it over the stored run.</summary>
public sealed class RemoteRuns
{
    private readonly ConcurrentDictionary<string, Overlay> runs = new();

    private sealed record Overlay(string? Stage, RunProgress? Progress, ImmutableList<(ModelRole Role, EpochMetrics Metrics)> Epochs);

    /// <summary>Takes one event from another process, with the run's stage and progress there when it was sent.</summary>
    public void Note(RunEvent e, string? stage, RunProgress? progress)
    {
        switch (e)
        {
            case RunCompletedEvent or RunFailedEvent or RunCancelledEvent:
                runs.TryRemove(e.RunId, out _);
                return;
            case RunStartedEvent:
                runs[e.RunId] = new Overlay(stage, progress, []);
                return;
        }
        runs.AddOrUpdate(e.RunId,
            _ => new Overlay(stage, progress, e is EpochCompletedEvent f ? [(f.Model, f.Metrics)] : []),
            (_, o) => new Overlay(stage, progress, e is EpochCompletedEvent epoch ? o.Epochs.Add((epoch.Model, epoch.Metrics)) : o.Epochs));
    }

    /// <summary>The stored run with what only the events told yet; a run that is not running is left as stored.</summary>
    internal RunDetails Apply(RunDetails stored)
    {
        if (stored.Status != RunStatus.Running || !runs.TryGetValue(stored.Id, out var o)) return stored;
        ModelView With(ModelView model, ModelRole role)
        {
            var extra = o.Epochs.Where(x => x.Role == role && model.History.All(h => h.Epoch != x.Metrics.Epoch)).Select(x => x.Metrics);
            return model with { History = [.. model.History.Concat(extra).OrderBy(h => h.Epoch)] };
        }
        return stored with
        {
            Stage = o.Stage, Progress = o.Progress,
            Teacher = With(stored.Teacher, ModelRole.Teacher),
            StudentScratch = With(stored.StudentScratch, ModelRole.StudentScratch),
            StudentDistilled = With(stored.StudentDistilled, ModelRole.StudentDistilled),
        };
    }
}
