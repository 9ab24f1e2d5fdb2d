namespace DistillLab.Core.Studies;

/// <summary>Successive halving on validation accuracy, as ASHA does it (Li et al., 2020), with η = 3: stops weak trials
/// early so the study spends its time on the promising ones.</summary>
/// <remarks>
/// Rungs are after epochs 1, 3, 9, 27, … (powers of 3) that come before a student's last epoch. At a rung a trial
/// records its validation accuracy; it goes on only if that accuracy is among the top third (rounded up) of all the
/// values recorded at that rung by trials of the same seed so far, its own included. So the first trial to reach a
/// rung always goes on, and ties go on. Trials are compared within a seed because seeds differ in their teacher and
/// their baseline. Like ASHA it decides at once, on what has been seen so far: the order trials run in matters,
/// and a study resumed from its finished trials replays their curves first (<see cref="Replay"/>) to decide as before.
/// </remarks>
public sealed class HalvingPruner(int studentEpochs)
{
    public const int Eta = 3;

    private readonly Dictionary<(int Seed, int Epoch), List<double>> recorded = [];

    /// <summary>The epochs after which trials are compared: 1, 3, 9, … below <paramref name="epochs"/>.</summary>
    public static IReadOnlyList<int> Rungs(int epochs)
    {
        var rungs = new List<int>();
        for (int rung = 1; rung < epochs; rung *= Eta) rungs.Add(rung);
        return rungs;
    }

    /// <summary>Records a trial's validation accuracy after <paramref name="epoch"/> and says whether it goes on.
    /// Epochs that are not rungs are not recorded, and the trial goes on.</summary>
    public bool Continue(int seed, int epoch, double valAccuracy)
    {
        if (!Rungs(studentEpochs).Contains(epoch)) return true;
        if (!recorded.TryGetValue((seed, epoch), out var values)) recorded[(seed, epoch)] = values = [];
        values.Add(valAccuracy);
        return Decide(values, valAccuracy);
    }

    /// <summary>The rule at one rung: <paramref name="valAccuracy"/> goes on when it is among the top third (rounded up)
    /// of <paramref name="atRung"/>, every value recorded at that rung by the seed's trials so far, its own included.
    /// The postgres job engine decides with it on the values its workers stored (StudyStore's rung entries).</summary>
    public static bool Decide(IReadOnlyCollection<double> atRung, double valAccuracy)
    {
        int keep = (atRung.Count + Eta - 1) / Eta;
        double cutoff = atRung.OrderDescending().ElementAt(keep - 1);
        return valAccuracy >= cutoff;
    }

    /// <summary>Records the rung values of a trial that finished earlier (completed or pruned), in the order trials ran.</summary>
    public void Replay(int seed, IReadOnlyList<double> valAccuracyPerEpoch)
    {
        for (int epoch = 1; epoch <= valAccuracyPerEpoch.Count; epoch++)
            Continue(seed, epoch, valAccuracyPerEpoch[epoch - 1]);
    }
}
