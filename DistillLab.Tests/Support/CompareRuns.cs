using DistillLab.Core.Experiments;
using DistillLab.Web.Runs;
using DistillLab.Core.Training;

namespace DistillLab.Tests.Support;

/// <summary>Finished runs with chosen settings, histories and test accuracies, for the Compare and Runs tests.</summary>
public static class CompareRuns
{
    /// <summary>Epochs whose accuracies climb from <paramref name="start"/>: different starts give different curves.</summary>
    public static List<EpochMetrics> History(double start, int epochs = 3, bool distilled = false) =>
        Enumerable.Range(1, epochs).Select(e => new EpochMetrics(e, start + 0.05 * e, 1.0 / e, start + 0.04 * e, 1.1 / e, 2.0, 100,
            distilled ? 0.9 / e : null, distilled ? 0.4 / e : null)).ToList();

    public static RunDetails Run(string id, LabConfig config, (double Teacher, double Scratch, double Distilled) accuracy,
        List<EpochMetrics>? teacher = null, List<EpochMetrics>? scratch = null, List<EpochMetrics>? distilled = null, string? name = null)
    {
        var at = new DateTimeOffset(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);
        return new RunDetails(id, RunStatus.Completed, config, true, at)
        {
            StartedAt = at, FinishedAt = at.AddMinutes(1), ImageSize = 64, Device = "cpu",
            Teacher = new ModelView { Parameters = 1000, TestAccuracy = accuracy.Teacher, TestLoss = 0.3, History = teacher ?? History(0.6) },
            StudentScratch = new ModelView { Parameters = 100, TestAccuracy = accuracy.Scratch, TestLoss = 0.5, History = scratch ?? History(0.5) },
            StudentDistilled = new ModelView { Parameters = 100, TestAccuracy = accuracy.Distilled, TestLoss = 0.4, History = distilled ?? History(0.55, distilled: true) },
            TotalSeconds = 60, Name = name,
        };
    }

    /// <summary>Stores the run as the service would: the row, then every epoch.</summary>
    public static RunDetails Save(RunStore store, RunDetails run)
    {
        store.Insert(run, "key");
        store.Update(run);
        foreach (var role in ModelRoles.All)
            foreach (var epoch in run.Model(role).History) store.AddEpoch(run.Id, role, epoch);
        return run;
    }
}
