using System.Text.Json.Serialization;
using DistillLab.Core.Experiments;

namespace DistillLab.Core.Studies;

/// <summary>A study: a base run config plus a search space over α, T and T², tried on several seeds.</summary>
/// <remarks>
/// Seeds are <see cref="LabConfig.Seed"/>, Seed + 1, … (<see cref="SeedList"/>). A seed sets a model's initial weights
/// and its batch order; the data split stays the base seed's for every seed, so the data is loaded once and every
/// student is tested on the same test images. A trial on the base seed trains exactly what
/// <c>lab --alpha a --temperature t</c> trains. The base config's own <see cref="LabConfig.Alpha"/>,
/// <see cref="LabConfig.Temperature"/> and <see cref="LabConfig.ScaleByTemperatureSquared"/> are replaced by the space.
/// JSON: the base config's fields and the space's side by side (<see cref="StudyConfigJsonConverter"/>), as the API takes them.
/// </remarks>
[JsonConverter(typeof(StudyConfigJsonConverter))]
public sealed record StudyConfig
{
    /// <summary>A study may train at most this many students (trials); a bigger space is refused, not cut.</summary>
    public const int MaxTrials = 500;

    public static readonly IReadOnlyList<string> T2Choices = ["off", "on", "both"];
    public static readonly IReadOnlyList<string> Samplers = ["grid", "random"];
    public static readonly IReadOnlyList<string> PruningRules = ["none", "halving"];

    public LabConfig Base { get; init; } = new();
    public StudyValues Alpha { get; init; } = StudyValues.Of(0.05, 0.5, 0.9);
    public StudyValues Temperature { get; init; } = StudyValues.Of(1, 5, 10);
    /// <summary>off | on | both: whether the distillation term is scaled by T².</summary>
    public string T2 { get; init; } = "off";
    /// <summary>How many seeds: the base seed and the ones after it.</summary>
    public int Seeds { get; init; } = 3;
    /// <summary>grid (every setting) | random (<see cref="Trials"/> settings drawn from the grid without repeats).</summary>
    public string Sampler { get; init; } = "grid";
    /// <summary>For random: how many settings (α, T, T²) to draw; each is trained on every seed.</summary>
    public int? Trials { get; init; }
    /// <summary>The random sampler's seed; null uses the base seed.</summary>
    public int? SamplerSeed { get; init; }
    /// <summary>none | halving (<see cref="HalvingPruner"/>).</summary>
    public string Pruning { get; init; } = "none";

    public IReadOnlyList<int> SeedList() => Enumerable.Range(0, Math.Max(0, Seeds)).Select(i => Base.Seed + i).ToList();

    /// <summary>The T² values the space covers.</summary>
    public IReadOnlyList<bool> T2Values() => T2 switch { "on" => [true], "both" => [false, true], _ => [false] };

    /// <summary>Size of the full grid: α values × T values × T² values.</summary>
    public int GridSize() => Alpha.Expand().Count * Temperature.Expand().Count * T2Values().Count;

    /// <summary>How many settings the sampler picks.</summary>
    public int SettingCount() => Sampler == "random" && Trials is { } n ? n : GridSize();

    /// <summary>How many students the study trains besides the baselines: settings × seeds.</summary>
    public long TrialCount() => (long)SettingCount() * Math.Max(0, Seeds);

    /// <summary>The run config of one trial.</summary>
    public LabConfig TrialConfig(StudySetting setting, int seed) => Base with
    {
        Alpha = setting.Alpha, Temperature = setting.Temperature, ScaleByTemperatureSquared = setting.ScaleByTemperatureSquared, Seed = seed,
    };

    /// <summary>Every problem with this study, one or more per field (camelCase names, as <see cref="LabConfig.Validate"/>'s);
    /// empty when it is valid. The page, the API and the command line show these messages as they are.</summary>
    public IReadOnlyList<ConfigError> Validate()
    {
        var errors = new List<ConfigError>();
        void Add(string field, string message) => errors.Add(new ConfigError(field, message));

        // The base's single alpha and temperature are replaced by the space, so their messages would mislead.
        errors.AddRange(Base.Validate().Where(e => e.Field is not ("alpha" or "temperature")));
        if (Base.TeacherPath is not null)
            Add("teacherPath", "is not used by a study, which has one teacher per seed: it trains them, or reuses the ones the dashboard or its work folder kept.");
        if (Base.ScratchPath is not null)
            Add("scratchPath", "is not used by a study, which trains one scratch student per seed as the baseline of that seed's trials.");

        foreach (var message in Alpha.Problems(a => a is >= 0 and <= 1, "between 0 and 1"))
            Add("alpha", message);
        foreach (var message in Temperature.Problems(t => t is > 0 and <= 100, "greater than 0 and at most 100"))
            Add("temperature", message);
        if (!T2Choices.Contains(T2))
            Add("t2", $"must be off, on or both; got '{Quote.Short(T2)}'.");
        if (Seeds < 2)
            Add("seeds", $"must be at least 2: a confidence interval needs at least two seeds; got {Seeds}.");
        else if (Seeds > 100)
            Add("seeds", $"must be at most 100; got {Seeds}.");
        if (!PruningRules.Contains(Pruning))
            Add("pruning", $"must be none or halving; got '{Quote.Short(Pruning)}'.");
        else if (Pruning == "halving" && Base.StudentEpochs < 2)
            Add("pruning", $"halving stops trials after epoch 1, 3, 9, … before the last: it needs at least 2 student epochs; got {Base.StudentEpochs}.");

        bool spaceValid = errors.All(e => e.Field is not ("alpha" or "temperature" or "t2"));
        if (!Samplers.Contains(Sampler))
            Add("sampler", $"must be grid or random; got '{Quote.Short(Sampler)}'.");
        else if (Sampler == "random" && Trials is null)
            Add("trials", "is required with the random sampler: how many settings (α, T, T²) to draw.");
        else if (Sampler == "grid" && Trials is not null)
            Add("trials", "applies to the random sampler only; the grid tries every setting.");
        else if (Trials is { } n && n < 1)
            Add("trials", $"must be at least 1; got {n}.");
        else if (Trials is { } m && spaceValid && m > GridSize())
            Add("trials", $"asks for {m} settings but the space has only {GridSize()} ({Shape()}); draw fewer or use the grid.");

        if (spaceValid && errors.All(e => e.Field is not ("seeds" or "sampler" or "trials")))
        {
            long trials = TrialCount();
            if (trials == 0)
                Add("space", "is empty: give at least one α and one T value.");
            else if (trials > MaxTrials)
                Add("space", $"has {trials:N0} trials ({SettingCount():N0} settings × {Seeds} seeds; grid {Shape()}); at most {MaxTrials} are allowed: " +
                             "use fewer values or seeds, or the random sampler with fewer trials.");
        }
        return errors;
    }

    private string Shape() => $"{Alpha.Expand().Count} α × {Temperature.Expand().Count} T × {T2Values().Count} T²";
}
