namespace DistillLab.Core.Studies;

/// <summary>Which settings a study tries, in the order it tries them.</summary>
public static class StudySampler
{
    /// <summary>grid: every (α, T, T²) in the order α, then T, then T² (off before on). random: <see cref="StudyConfig.Trials"/>
    /// settings of that grid, drawn without repeats by a Fisher-Yates shuffle seeded with the sampler seed (the base seed
    /// when none is given), so the same study draws the same settings on every machine.</summary>
    /// <remarks>Random draws from the grid's values rather than anywhere in a range: the heat map has one cell per
    /// (α, T), and each cell gathers its seeds.</remarks>
    public static IReadOnlyList<StudySetting> Settings(StudyConfig config)
    {
        var grid = (from alpha in config.Alpha.Expand()
                    from temperature in config.Temperature.Expand()
                    from t2 in config.T2Values()
                    select new StudySetting(alpha, temperature, t2)).ToList();
        if (config.Sampler != "random") return grid;
        int count = Math.Min(config.Trials ?? grid.Count, grid.Count);
        var order = Data.PoolSplit.Shuffled(grid.Count, config.SamplerSeed ?? config.Base.Seed);
        return order.Take(count).Select(i => grid[i]).ToList();
    }

    /// <summary>Every trial of the study in training order: seed by seed (one teacher in memory at a time), and within
    /// a seed the settings in sampler order.</summary>
    public static IReadOnlyList<TrialKey> Trials(StudyConfig config)
    {
        var settings = Settings(config);
        return config.SeedList().SelectMany(seed => settings.Select(s => s.On(seed))).ToList();
    }
}
