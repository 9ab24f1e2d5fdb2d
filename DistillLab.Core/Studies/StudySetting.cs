namespace DistillLab.Core.Studies;

/// <summary>One point of a study's space: the distillation settings a trial trains with.</summary>
public sealed record StudySetting(double Alpha, double Temperature, bool ScaleByTemperatureSquared)
{
    /// <summary>"α=0.5, T=5" (", T² on" when scaled), as the verdict and the console name a setting.</summary>
    public override string ToString() =>
        $"α={StudyValues.Format(Alpha)}, T={StudyValues.Format(Temperature)}{(ScaleByTemperatureSquared ? ", T² on" : "")}";

    /// <summary>The trial of this setting on <paramref name="seed"/>.</summary>
    public TrialKey On(int seed) => new(Alpha, Temperature, ScaleByTemperatureSquared, seed);
}

/// <summary>One trial: a setting on one seed. A study trains each key at most once.</summary>
public sealed record TrialKey(double Alpha, double Temperature, bool ScaleByTemperatureSquared, int Seed)
{
    public StudySetting Setting => new(Alpha, Temperature, ScaleByTemperatureSquared);

    public override string ToString() => $"{Setting}, seed {Seed}";
}
