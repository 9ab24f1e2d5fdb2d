using System.Globalization;

namespace DistillLab.Core.Experiments;

/// <summary>Everything that defines one run of the lab. Defaults are the reference lab's (LAB.md).</summary>
/// <remarks>The one place run settings are validated: the command line, the HTTP API and the
/// dashboard form all call <see cref="Validate"/> and show its messages as they are.</remarks>
public sealed record LabConfig
{
    public const int MinImageSize = Models.TeacherNet.MinimumInputSize;
    public const int MaxImageSize = 512;

    /// <summary>Data source: synthetic | folder:&lt;path&gt; | idx:&lt;dir&gt; | petimages[:&lt;folder&gt;].</summary>
    [Setting("data", "synthetic (default) | folder:<path> | idx:<dir> | petimages[:<folder>]")]
    public string Data { get; init; } = "synthetic";
    /// <summary>Square input size in pixels; null picks 64 on CPU and 224 on CUDA.</summary>
    [Setting("image-size", "square input size, 46-512 (default: 64 on CPU, 224 on CUDA)")]
    public int? ImageSize { get; init; }
    /// <summary>Keep only the first N usable images of the pool (before shuffle and split).</summary>
    [Setting("limit", "keep only the first N usable images of the pool (>= 10)")]
    public int? Limit { get; init; }
    [Setting("teacher-epochs", "teacher epochs (default 8; 0 only with --teacher)")]
    public int TeacherEpochs { get; init; } = 8;
    [Setting("student-epochs", "epochs for each student (default 5)")]
    public int StudentEpochs { get; init; } = 5;
    /// <summary>Weight of the hard-label loss; 1 - alpha weighs the distillation loss.</summary>
    [Setting("alpha", "weight of the hard-label loss, 0-1 (default 0.05)")]
    public double Alpha { get; init; } = 0.05;
    /// <summary>Softmax temperature applied to teacher and student logits in the distillation loss.</summary>
    [Setting("temperature", "softmax temperature, > 0 (default 5)")]
    public double Temperature { get; init; } = 5;
    /// <summary>Multiply the distillation term by T^2 (Hinton et al.); off in the reference lab.</summary>
    [Setting("t2", "scale the distillation term by T^2 (off in the reference lab)")]
    public bool ScaleByTemperatureSquared { get; init; }
    [Setting("batch-size", "batch size (default 32)")]
    public int BatchSize { get; init; } = 32;
    [Setting("lr", "Adam learning rate (default 0.001)")]
    public double LearningRate { get; init; } = 0.001;
    /// <summary>Adam's epsilon. Keras (the reference lab) uses 1e-7; TorchSharp's default would be 1e-8.</summary>
    [Setting("adam-epsilon", "Adam's epsilon, > 0 and < 1 (default 1e-7, as Keras in the reference lab)")]
    public double AdamEpsilon { get; init; } = 1e-7;
    [Setting("seed", "seed of weights, split and batch order (default 42)")]
    public int Seed { get; init; } = 42;
    /// <summary>auto | cpu | cuda.</summary>
    [Setting("device", "auto (default) | cpu | cuda")]
    public string Device { get; init; } = "auto";
    /// <summary>How photos are resized: lab (tf.image.resize's bilinear) or smooth (antialiased); null takes the
    /// source's default (lab for petimages, smooth for other file sources). The synthetic set is drawn at size.</summary>
    [Setting("resize", "lab (tf.image.resize's bilinear; default for petimages) | smooth (antialiased; default for folder and idx)")]
    public string? Resize { get; init; }
    /// <summary>How the pool is split: seeded (null; the seeded shuffle, 80/10/10) or tfds (the reference lab's own
    /// split of the photos, TFDS's record order; petimages only, without a limit).</summary>
    [Setting("split", "seeded (default: shuffled with --seed, 80/10/10) | tfds (the reference lab's own split of the photos; petimages, no --limit)")]
    public string? Split { get; init; }

    public static readonly IReadOnlyList<string> Splits = ["seeded", "tfds"];

    /// <summary>True when this run splits as TFDS does.</summary>
    public bool UsesTfdsSplit() => Split is "tfds";
    /// <summary>A saved teacher to reuse instead of training one (then TeacherEpochs may be 0).</summary>
    [Setting("teacher", "reuse a saved teacher instead of training one; it must have been trained on this run's training split")]
    public string? TeacherPath { get; init; }
    /// <summary>A saved scratch student to reuse instead of training one. It never sees the teacher, so one trained
    /// with the same data, image size, limit, seed, student epochs, batch size, learning rate and device is the
    /// same model: a retune of alpha, T or T² then trains only the distilled student.</summary>
    [Setting("scratch", "reuse a saved scratch student (same data, size, limit, seed, student epochs, batch, lr, device)")]
    public string? ScratchPath { get; init; }
    /// <summary>Use a saved teacher or scratch student even when it was not trained on this run's training split (another
    /// seed, limit, source or resize, or a checkpoint that does not say): its test accuracy, and the distilled student's,
    /// may then be inflated by test images it trained on. Off by default; the result lists the differences.</summary>
    [Setting("allow-foreign-teacher", "use a --teacher or --scratch trained on another split anyway; the summary and report say so")]
    public bool AllowForeignTeacher { get; init; }

    public static readonly IReadOnlyList<string> Devices = ["auto", "cpu", "cuda"];

    /// <summary>The resize method this run uses: <see cref="Resize"/>, or its data source's default. A method, not a
    /// property, so it is not stored twice in the run's JSON.</summary>
    public DistillLab.Core.Data.ResizeMethod EffectiveResize() =>
        DistillLab.Core.Data.ResizeMethods.Parse(Resize)
        ?? (DistillLab.Core.Data.DataSourceSpec.TryParse(Data, out var spec, out _)
            ? DistillLab.Core.Data.ResizeMethods.DefaultFor(spec.Kind) : DistillLab.Core.Data.ResizeMethod.Smooth);

    /// <summary>Every problem with this config, one per field; empty when it is valid.</summary>
    public IReadOnlyList<ConfigError> Validate()
    {
        var errors = new List<ConfigError>();
        void Add(string field, string message) => errors.Add(new ConfigError(field, message));

        if (string.IsNullOrWhiteSpace(Data))
            Add("data", "is required: synthetic, folder:<path>, idx:<dir> or petimages[:<folder>].");
        if (ImageSize is { } size && (size < MinImageSize || size > MaxImageSize))
            Add("imageSize", $"must be between {MinImageSize} and {MaxImageSize} pixels (the teacher's four conv+pool stages need at least {MinImageSize}); got {size}.");
        if (Limit is { } limit && limit < 10)
            Add("limit", $"must be at least 10 images so that every split gets some; got {limit}.");
        if (TeacherPath is null && TeacherEpochs < 1)
            Add("teacherEpochs", $"must be at least 1 (0 is allowed only when a saved teacher is given); got {TeacherEpochs}.");
        else if (TeacherEpochs < 0 || TeacherEpochs > 1000)
            Add("teacherEpochs", $"must be between 0 and 1000; got {TeacherEpochs}.");
        if (StudentEpochs < 1 || StudentEpochs > 1000)
            Add("studentEpochs", $"must be between 1 and 1000; got {StudentEpochs}.");
        if (!double.IsFinite(Alpha) || Alpha < 0 || Alpha > 1)
            Add("alpha", $"must be a number between 0 and 1; got {Format(Alpha)}.");
        if (!double.IsFinite(Temperature) || Temperature <= 0 || Temperature > 100)
            Add("temperature", $"must be a number greater than 0 and at most 100; got {Format(Temperature)}.");
        if (BatchSize < 1 || BatchSize > 4096)
            Add("batchSize", $"must be between 1 and 4096; got {BatchSize}.");
        if (!double.IsFinite(AdamEpsilon) || AdamEpsilon <= 0 || AdamEpsilon >= 1)
            Add("adamEpsilon", $"must be a number greater than 0 and less than 1; got {Format(AdamEpsilon)}.");
        if (!double.IsFinite(LearningRate) || LearningRate <= 0 || LearningRate > 10)
            Add("learningRate", $"must be a number greater than 0 and at most 10; got {Format(LearningRate)}.");
        if (Resize is not null && DistillLab.Core.Data.ResizeMethods.Parse(Resize) is null)
            Add("resize", $"must be {DistillLab.Core.Data.ResizeMethods.Allowed}; got '{Quote.Short(Resize)}'.");
        if (Split is not null && !Splits.Contains(Split))
            Add("split", $"must be seeded or tfds (the reference lab's split of petimages); got '{Quote.Short(Split)}'.");
        else if (UsesTfdsSplit() && !(Data ?? "").Trim().StartsWith("petimages", StringComparison.OrdinalIgnoreCase))
            Add("split", "tfds is the reference lab's split of the Cats vs Dogs photos: it needs data petimages.");
        else if (UsesTfdsSplit() && Limit is not null)
            Add("split", "tfds splits the whole photo set as the lab does: leave the limit empty.");
        if (!Devices.Contains(Device))
            Add("device", $"must be one of {string.Join(", ", Devices)}; got '{Quote.Short(Device)}'.");
        return errors;
    }

    private static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}

/// <summary>One invalid setting: the field's camelCase name and what is allowed.</summary>
public sealed record ConfigError(string Field, string Message)
{
    public override string ToString() => $"{Field} {Message}";
}
