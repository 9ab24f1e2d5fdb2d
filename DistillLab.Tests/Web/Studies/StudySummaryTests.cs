using DistillLab.Core.Studies;
using DistillLab.Core.Training;
using DistillLab.Web.Components.Pages.Studies;
using DistillLab.Web.Studies;

namespace DistillLab.Tests.Web.Studies;

/// <summary>What the page and the API show of a study in progress: settings from the finished trials (validation only,
/// paired with each seed's baseline) and the heat map's cells.</summary>
public sealed class StudySummaryTests
{
    private static TrialResult Trial(double alpha, double t, int seed, double val, TrialStatus status = TrialStatus.Completed) =>
        new(alpha, t, false, seed, status, 2, val, []);

    private static readonly BaselineResult[] Baselines = [new(42, 0.70, 0.99, []), new(43, 0.60, 0.01, []), new(44, 0.65, 0.5, [])];

    [Fact]
    public void ALiveSettingsGainIsTheMeanPairedDifferenceWithAStudentTIntervalAndPrunedTrialsLeftOut()
    {
        var trials = new[]
        {
            Trial(0.5, 5, 42, 0.74), Trial(0.5, 5, 43, 0.62), Trial(0.5, 5, 44, 0.68),
            Trial(0.1, 2, 42, 0.50, TrialStatus.Pruned), Trial(0.1, 2, 43, 0.61),
        };
        var config = new StudyConfig { Alpha = StudyValues.Of(0.1, 0.5), Temperature = StudyValues.Of(2, 5), Seeds = 3 };
        var settings = (StudyDetails.Queued("s", config) with { Baseline = Baselines, Trials = trials }).Settings;

        // One summary per setting of the space, in sampler order (α, then T): α=0.1 T=2 first, α=0.5 T=5 last.
        Assert.Equal(4, settings.Count);
        var best = settings[3];
        Assert.Equal((0.5, 5.0, 3), (best.Alpha, best.Temperature, best.Seeds));
        // Differences 0.04, 0.02, 0.03: mean 0.03, sd 0.01, t(0.975, 2) = 4.302653: half-width 0.024842.
        Assert.Equal(0.03, best.MeanDelta!.Value, 9);
        Assert.Equal(0.68, best.MeanValAccuracy!.Value, 9);
        Assert.Equal(0.03 - 0.0248414, best.Ci95![0], 6);
        Assert.Equal(0.03 + 0.0248414, best.Ci95[1], 6);

        // One completed seed: a mean but no interval; the pruned trial is left out.
        var early = settings[0];
        Assert.Equal(1, early.Seeds);
        Assert.Equal(0.01, early.MeanDelta!.Value, 9);
        Assert.Null(early.Ci95);
    }

    [Fact]
    public void TheHeatMapHasARowPerAlphaAndT2AndACellPerTemperatureFilledOnlyWhereATrialCompleted()
    {
        var config = new StudyConfig { Alpha = StudyValues.Of(0.1, 0.5), Temperature = StudyValues.Of(2, 5), T2 = "both", Seeds = 3 };
        var study = StudyDetails.Queued("s", config) with
        {
            Baseline = Baselines,
            Trials = [Trial(0.5, 5, 42, 0.74), Trial(0.5, 5, 43, 0.62), Trial(0.1, 2, 42, 0.50, TrialStatus.Pruned)],
        };
        var cells = HeatmapCells.Of(study);

        Assert.Equal(["T=2", "T=5"], cells.Columns);
        Assert.Equal(["α=0.1 T² off", "α=0.1 T² on", "α=0.5 T² off", "α=0.5 T² on"], cells.Rows);
        Assert.Equal(3.0, cells.Values[2][1]); // α=0.5, T=5, T² off: (0.04 + 0.02) / 2 in points
        Assert.Null(cells.Values[0][0]);       // only a pruned trial: no value, but marked
        Assert.Equal("0/3 seeds<br>pruned 1", cells.Texts[0][0]);
        Assert.StartsWith("+3.0<br>[", cells.Texts[2][1]);
        Assert.EndsWith("<br>2/3 seeds", cells.Texts[2][1]);
        Assert.Equal("", cells.Texts[1][0]);
        Assert.Equal(1, cells.Values.Sum(row => row.Count(v => v is not null)));
    }
}
