using DistillLab.Core.Data;
using DistillLab.Core.Data.Synthetic;
using DistillLab.Core.Models;
using DistillLab.Core.Training;

namespace DistillLab.Core.Experiments;

/// <summary>Whether a saved teacher or scratch student (<see cref="LabConfig.TeacherPath"/>, <see cref="LabConfig.ScratchPath"/>)
/// may stand in for the one this run would train. It must fit the run's images and classes, and it must have been trained
/// on this run's training split: a model trained with another seed, limit or data source has seen images that are in
/// this run's test split, and its test accuracy (and a distilled student's) would be inflated.</summary>
/// <remarks>The rule (docs/decisions.md): every recorded difference is refused, with a message naming it, unless
/// <see cref="LabConfig.AllowForeignTeacher"/> is set; then the run goes on and its result lists the differences
/// (<see cref="LabResult.ForeignModels"/>). A checkpoint saved before provenance was recorded counts as foreign.</remarks>
public static class SavedModelCheck
{
    /// <summary>What a model trained by this run on <paramref name="data"/> is trained on.</summary>
    public static TrainingProvenance Of(LabConfig config, LabData data) => new(
        data.Source, data.Fingerprint, config.Limit, data.Train.Count + data.Validation.Count + data.Test.Count,
        config.Seed, data.Split, data.ImageSize, ResizeName(config));

    /// <summary>The resize a run applies, by name; null for the synthetic set, which is drawn at its size.</summary>
    public static string? ResizeName(LabConfig config) => DataSourceSpec.IsSynthetic(config.Data) ? null : ResizeMethods.Name(config.EffectiveResize());

    /// <summary>Before the data loads (which can take minutes): the checkpoints exist, are of the right kind and size, and
    /// differ from the run in nothing that is known without the data (seed, split rule, resize).</summary>
    /// <exception cref="InvalidLabConfigException">A saved model does not fit, or is foreign and not allowed.</exception>
    internal static void BeforeLoading(LabConfig config, int imageSize)
    {
        bool idx = DataSourceSpec.TryParse(config.Data, out var spec, out _) && spec.Kind == DataSourceKind.Idx;
        var planned = new TrainingProvenance(config.Data, null, config.Limit, 0, config.Seed,
            idx ? IdxSource.SplitRule : config.UsesTfdsSplit() ? TfdsSplit.Rule : DataSourceSpec.IsSynthetic(config.Data) ? SyntheticCatsDogs.SplitRule : PoolSplit.Rule,
            imageSize, ResizeName(config));
        foreach (var (role, field, path) in SavedModels(config))
        {
            var trainedOn = ReadChecked(field, path, role, imageSize, classes: null, config.Data);
            var known = trainedOn is null ? [NotRecorded] : Differences(trainedOn, planned, loaded: false);
            if (!config.AllowForeignTeacher && known.Count > 0) throw Refusal(field, path, role, known);
        }
    }

    /// <summary>After the data loads, before any training: the full check. Returns the foreign models the config allows.</summary>
    /// <exception cref="InvalidLabConfigException">A saved model does not fit, or is foreign and not allowed.</exception>
    internal static IReadOnlyList<ForeignModel> AfterLoading(LabConfig config, LabData data)
    {
        var run = Of(config, data);
        var foreign = new List<ForeignModel>();
        foreach (var (role, field, path) in SavedModels(config))
        {
            var trainedOn = ReadChecked(field, path, role, data.ImageSize, data.Classes.Count, data.Source);
            var differences = trainedOn is null ? [NotRecorded] : Differences(trainedOn, run, loaded: true);
            if (differences.Count == 0) continue;
            if (!config.AllowForeignTeacher) throw Refusal(field, path, role, differences);
            foreign.Add(new ForeignModel(role, path, differences.Select(d => d.Text).ToList(), Consequence(role, differences)));
        }
        return foreign;
    }

    private static IEnumerable<(ModelRole Role, string Field, string Path)> SavedModels(LabConfig config)
    {
        if (config.TeacherPath is { } teacher) yield return (ModelRole.Teacher, "teacherPath", teacher);
        if (config.ScratchPath is { } scratch) yield return (ModelRole.StudentScratch, "scratchPath", scratch);
    }

    /// <summary>The checkpoint must exist, be of the right kind and fit this run's images and classes. Returns its provenance.</summary>
    private static TrainingProvenance? ReadChecked(string field, string path, ModelRole role, int imageSize, int? classes, string source)
    {
        ModelSpec spec;
        TrainingProvenance? trainedOn;
        try { (spec, trainedOn) = ModelCheckpoint.ReadHeader(path); }
        catch (Exception e) when (e is FileNotFoundException or InvalidDataException)
        {
            throw new InvalidLabConfigException([new(field, e.Message)]);
        }
        var kind = role == ModelRole.Teacher ? ModelKind.Teacher : ModelKind.Student;
        string wanted = Describe(kind), held = Describe(spec.Kind);
        if (spec.Kind != kind)
            throw new InvalidLabConfigException([new(field, $"'{path}' holds a {held}, not a {wanted}.")]);
        if (spec.ImageSize != imageSize)
            throw new InvalidLabConfigException([new(field,
                $"'{path}' holds a {wanted} built for {spec.ImageSize} px images, but this run uses {imageSize} px. Use --image-size {spec.ImageSize} or train a new {wanted}.")]);
        if (classes is { } count && spec.Classes != count)
            throw new InvalidLabConfigException([new(field,
                $"'{path}' holds a {wanted} built for {spec.Classes} classes, but '{source}' has {count}.")]);
        return trainedOn;
    }

    private static string Describe(ModelKind kind) => kind == ModelKind.Teacher ? "teacher" : "student";

    /// <summary>How bad a difference is: the model's training images include this run's test images, may include them
    /// (another or changed source), or are other images than this run's training split without touching its test split.</summary>
    private enum Severity { Other, MayLeak, Leaks }

    private sealed record Difference(string Text, Severity Severity);

    private static readonly Difference NotRecorded =
        new("it was saved by an older DistillLab that did not record what it was trained on", Severity.MayLeak);

    /// <summary>Every recorded way in which <paramref name="model"/>'s training data differs from <paramref name="run"/>'s.
    /// Before loading (<paramref name="loaded"/> false) the run's source contents and image count are not known yet.</summary>
    private static List<Difference> Differences(TrainingProvenance model, TrainingProvenance run, bool loaded)
    {
        var found = new List<Difference>();
        var source = loaded ? SourceDiffers(model, run) : KindDiffers(model, run);
        if (source is not null) found.Add(source);
        // From another source, another seed or pool cannot be said to include this run's test images, only that it may.
        Severity Within(Severity s) => source is null ? s : (Severity)Math.Min((int)s, (int)Severity.MayLeak);

        if (model.Split != run.Split)
        {
            // Another kind of source splits another way; the source's difference already says so.
            if (source is null) found.Add(new($"it was split by '{model.Split}', this run by '{run.Split}'", Severity.MayLeak));
            return found;
        }
        // Only the seeded shuffle takes the seed: idx's test set is the t10k file and TFDS's order is md5's, whatever the seed.
        bool seeded = run.Split == PoolSplit.Rule || run.Split == SyntheticCatsDogs.SplitRule;
        // The synthetic pictures are drawn from the seed: another seed draws other pictures, none of them this run's.
        bool otherPictures = seeded && model.Seed != run.Seed && DataSourceSpec.IsSynthetic(run.Source) && DataSourceSpec.IsSynthetic(model.Source);
        if (seeded && model.Seed != run.Seed)
            found.Add(new($"it was trained with seed {model.Seed}, this run uses seed {run.Seed}",
                otherPictures ? Severity.Other : Within(Severity.Leaks)));
        if (loaded && model.Images != run.Images)
            found.Add(new($"it was trained on a pool of {model.Images:N0} images ({LimitText(model.Limit)}), this run's pool has {run.Images:N0} ({LimitText(run.Limit)})",
                // A longer or shorter pool shuffles into other splits; the idx limit only moves the train/validation boundary.
                seeded && !otherPictures ? Within(Severity.Leaks) : Severity.Other));
        if (model.Resize is { } was && run.Resize is { } now && was != now)
            found.Add(new($"it was trained on pictures resized with '{was}', this run resizes with '{now}'", Severity.Other));
        return found;
    }

    /// <summary>Before loading only the kind of source can be compared: two folders may hold the same files.</summary>
    private static Difference? KindDiffers(TrainingProvenance model, TrainingProvenance run)
    {
        DataSourceKind? Kind(string source) => DataSourceSpec.TryParse(source, out var spec, out _) ? spec.Kind : null;
        var (was, now) = (Kind(model.Source), Kind(run.Source));
        bool differs = was is null || now is null ? !SameText(model.Source, run.Source) : was != now;
        return differs ? new($"it was trained on '{model.Source}', this run uses '{run.Source}'", Severity.MayLeak) : null;
    }

    private static Difference? SourceDiffers(TrainingProvenance model, TrainingProvenance run)
    {
        if (model.Fingerprint is { } was && run.Fingerprint is { } now)
        {
            // Same files (paths, lengths, times) are the same images wherever the folder lives now.
            if (was == now) return null;
            return SameText(model.Source, run.Source)
                ? new($"it was trained on '{model.Source}' when its files were different (fingerprint {Short(was)} then, {Short(now)} now)", Severity.MayLeak)
                : new($"it was trained on '{model.Source}' (fingerprint {Short(was)}), this run uses '{run.Source}' (fingerprint {Short(now)})", Severity.MayLeak);
        }
        if (model.Fingerprint is null && run.Fingerprint is null && SameText(model.Source, run.Source)) return null;
        return new($"it was trained on '{model.Source}', this run uses '{run.Source}'", Severity.MayLeak);
    }

    private static InvalidLabConfigException Refusal(string field, string path, ModelRole role, IReadOnlyList<Difference> differences)
    {
        string remedy = role == ModelRole.Teacher
            ? "Train a new teacher, or pass --allow-foreign-teacher (API: allowForeignTeacher) to use it anyway (the report then says so)."
            : "Train a new scratch student, or pass --allow-foreign-teacher (API: allowForeignTeacher; it covers the scratch student too) to use it anyway (the report then says so).";
        string what = differences is [var only] && only == NotRecorded
            ? "was saved by an older DistillLab that did not record what it was trained on"
            : $"was not trained on this run's training split ({string.Join("; ", differences.Select(d => d.Text))})";
        return new InvalidLabConfigException([new(field, $"'{path}' {what}: {Consequence(role, differences)} {remedy}")]);
    }

    private static string Consequence(ModelRole role, IReadOnlyList<Difference> differences)
    {
        string inflated = role == ModelRole.Teacher
            ? "so its test accuracy and the distilled student's would be inflated"
            : "so its test accuracy would be inflated";
        return differences.Max(d => d.Severity) switch
        {
            Severity.Leaks => $"its training images include this run's test images, {inflated}.",
            Severity.MayLeak => $"its training images may include this run's test images, {inflated}.",
            _ => $"none of this run's test images is among its training images, but it is not the {(role == ModelRole.Teacher ? "teacher" : "scratch student")} this run would train, so the comparison is not like for like.",
        };
    }

    private static string LimitText(int? limit) => limit is { } l ? $"--limit {l:N0}" : "no --limit";

    private static string Short(string fingerprint) => fingerprint.Length > 12 ? fingerprint[..12] : fingerprint;

    private static bool SameText(string a, string b) => string.Equals(a.Trim(), b.Trim(), StringComparison.OrdinalIgnoreCase);

}

/// <summary>A saved model this run used although it was not trained on this run's training split
/// (<see cref="LabConfig.AllowForeignTeacher"/>): how its training data differed, and what that means for the results.</summary>
public sealed record ForeignModel(ModelRole Model, string Path, IReadOnlyList<string> Differences, string Consequence);
