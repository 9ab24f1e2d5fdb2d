using System.Text.Json;
using System.Text.Json.Serialization;
using DistillLab.Core.Experiments;
using DistillLab.Core.Training;

namespace DistillLab.Core.Studies;

/// <summary>A finished study, in the shape of its JSON (<c>study --out</c>, the API): what ran, every teacher, baseline
/// and trial, the settings' validation figures, and the best setting confirmed on the test split.</summary>
/// <param name="Best">Null when no setting completed a trial on every seed (all pruned or failed).</param>
public sealed record StudyResult(
    StudyConfig Config,
    IReadOnlyList<TeacherResult> Teachers,
    IReadOnlyList<BaselineResult> Baseline,
    IReadOnlyList<TrialResult> Trials,
    IReadOnlyList<SettingSummary> Settings,
    BestSetting? Best,
    double TotalSeconds)
{
    /// <summary>camelCase and indented like <c>lab --out</c>; statuses as words ("completed").</summary>
    public static JsonSerializerOptions JsonOptions => LabReport.JsonOptions;

    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    /// <summary>Writes the result all or nothing (<see cref="AtomicFile"/>).</summary>
    public void Save(string path) => AtomicFile.Write(path, stream =>
    {
        using var writer = new StreamWriter(stream, leaveOpen: true);
        writer.Write(ToJson());
    });
}

/// <summary>A seed's teacher: its own test accuracy, and whether it was reused rather than trained by this study.</summary>
public sealed record TeacherResult(int Seed, double TestAccuracy, bool Reused);

/// <summary>A seed's scratch student, the baseline its trials are paired with. ValAccuracy is the last epoch's.</summary>
public sealed record BaselineResult(int Seed, double ValAccuracy, double TestAccuracy, IReadOnlyList<EpochMetrics> History);

[JsonConverter(typeof(JsonStringEnumConverter<TrialStatus>))]
public enum TrialStatus
{
    [JsonStringEnumMemberName("completed")] Completed,
    /// <summary>Stopped early by the pruning rule.</summary>
    [JsonStringEnumMemberName("pruned")] Pruned,
    /// <summary>Training failed (a diverged loss); the study went on.</summary>
    [JsonStringEnumMemberName("failed")] Failed,
    /// <summary>In training when the study was cancelled; trained again when the study resumes.</summary>
    [JsonStringEnumMemberName("cancelled")] Cancelled,
}

/// <summary>One distilled student: a setting on a seed, how far it got and its validation curve (never a test figure).</summary>
/// <param name="Epochs">Epochs trained (fewer than the student epochs when pruned, failed or cancelled).</param>
/// <param name="ValAccuracy">The last trained epoch's validation accuracy; null when no epoch finished.</param>
/// <param name="Error">Why a failed trial failed.</param>
/// <param name="Worker">The worker process that trained it (the postgres job engine); null in one process.</param>
public sealed record TrialResult(
    double Alpha, double Temperature, bool ScaleByTemperatureSquared, int Seed,
    TrialStatus Status, int Epochs, double? ValAccuracy, IReadOnlyList<EpochMetrics> History, string? Error = null, string? Worker = null)
{
    [JsonIgnore] public TrialKey Key => new(Alpha, Temperature, ScaleByTemperatureSquared, Seed);

    /// <summary>Finished trials are not trained again when a study resumes; a cancelled one is.</summary>
    [JsonIgnore] public bool Finished => Status != TrialStatus.Cancelled;
}

/// <summary>A setting over its completed trials, on validation: mean accuracy and the paired difference to the scratch
/// student (distilled - scratch, per seed), with its 95% confidence interval over seeds (null below two seeds).</summary>
public sealed record SettingSummary(
    double Alpha, double Temperature, bool ScaleByTemperatureSquared, int Seeds,
    double? MeanValAccuracy, double? MeanDelta, IReadOnlyList<double>? Ci95)
{
    [JsonIgnore] public StudySetting Setting => new(Alpha, Temperature, ScaleByTemperatureSquared);

    /// <summary>If the mean gain and spread seen so far held, how many seeds would show this setting's gain 4 times in 5
    /// (<see cref="PairedComparison.SeedsFor80PercentPower(double, double)"/>, the spread read back from the interval);
    /// null before two seeds, with no gain, or past 1,000. On validation: for planning the next study, not a verdict.</summary>
    [JsonIgnore]
    public int? SeedsFor80PercentPower => MeanDelta is { } mean && Ci95 is [var low, var high]
                                          && PairedComparison.SpreadFromInterval(low, high, Seeds) is { } spread
        ? PairedComparison.SeedsFor80PercentPower(mean, spread)
        : null;
}

/// <summary>The setting chosen on validation, confirmed on the test split.</summary>
public sealed record BestSetting(double Alpha, double Temperature, bool ScaleByTemperatureSquared, ConfirmedOnTest Test, string Verdict);

/// <summary>Test accuracies of the best setting's students and of the baselines, per seed in the study's seed order, and
/// their paired comparison.</summary>
public sealed record ConfirmedOnTest(IReadOnlyList<double> Distilled, IReadOnlyList<double> Scratch, double MeanDelta, IReadOnlyList<double> Ci95, double PValue);
