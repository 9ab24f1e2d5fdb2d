using System.Globalization;
using System.Reflection;
using System.Text.Json;
using DistillLab.Core.Experiments;
using DistillLab.Core.Models;
using DistillLab.Core.Training;

namespace DistillLab.Core.Export;

/// <summary>What an exported model says about itself: the class names its logits follow and, when known, the run it
/// came from. Written as string pairs into ONNX's metadata_props and the safetensors header's __metadata__.</summary>
/// <param name="ClassNames">One name per logit, in logit order.</param>
public sealed record ExportMetadata(IReadOnlyList<string> ClassNames)
{
    /// <summary>The model's role in its run (teacher, studentScratch, studentDistilled); null outside a run.</summary>
    public string? Role { get; init; }
    /// <summary>The run's seed (weights, split and batch order).</summary>
    public int? Seed { get; init; }
    /// <summary>The run's data source as written, e.g. "synthetic" or "petimages".</summary>
    public string? Data { get; init; }
    /// <summary>How the run resized photos ("lab" or "smooth"; null for the synthetic set, drawn at its size): a
    /// deployment should resize the same way.</summary>
    public string? Resize { get; init; }
    /// <summary>The distillation setting a distilled student was trained with (its run's, or a study's best); null for the other models.</summary>
    public double? Alpha { get; init; }
    public double? Temperature { get; init; }
    /// <summary>Whether the distillation term was scaled by T².</summary>
    public bool? ScaleByTemperatureSquared { get; init; }

    /// <summary>The metadata of one model of a finished run.</summary>
    public static ExportMetadata For(LabResult result, ModelRole role) => For(result.Config, result.Data.Classes, role);

    /// <summary>The metadata of the model in <paramref name="role"/> of a run with <paramref name="config"/>; the distilled
    /// student's also says which α, T and T² scaling it was distilled with.</summary>
    public static ExportMetadata For(LabConfig config, IReadOnlyList<string> classes, ModelRole role)
    {
        bool distilled = role == ModelRole.StudentDistilled;
        return new(classes)
        {
            Role = ModelRoles.Key(role),
            Seed = config.Seed,
            Data = config.Data,
            Resize = SavedModelCheck.ResizeName(config),
            Alpha = distilled ? config.Alpha : null,
            Temperature = distilled ? config.Temperature : null,
            ScaleByTemperatureSquared = distilled ? config.ScaleByTemperatureSquared : null,
        };
    }

    /// <summary>The key/value pairs written into an export, in a fixed order. The keys that describe the model
    /// itself (architecture, image_size, channels, classes) are the ones <see cref="ReadSpec"/> reads back.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Properties(ModelSpec spec)
    {
        if (ClassNames.Count != spec.Classes)
            throw new ArgumentException($"The export names {ClassNames.Count} classes but the model has {spec.Classes} logits; give one name per logit.", nameof(ClassNames));
        string size = spec.ImageSize.ToString(CultureInfo.InvariantCulture);
        var properties = new List<KeyValuePair<string, string>>
        {
            new("producer", $"DistillLab {ProducerVersion}"),
            new("architecture", ArchitectureName(spec.Kind)),
        };
        if (Role is not null) properties.Add(new("role", Role));
        properties.AddRange(
        [
            new("image_size", size),
            new("channels", spec.Channels.ToString(CultureInfo.InvariantCulture)),
            new("classes", spec.Classes.ToString(CultureInfo.InvariantCulture)),
            new("class_names", JsonSerializer.Serialize(ClassNames)),
            new("input", $"images: float32 [N, {spec.Channels}, {size}, {size}], NCHW, RGB, values in [0, 1]"),
            new("preprocessing", $"resize to {size} x {size}, then divide the 8-bit RGB values by 255; the division is not part of the model"),
            new("output", $"logits: float32 [N, {spec.Classes}], one per class in class_names order; softmax gives probabilities"),
        ]);
        if (Resize is not null) properties.Add(new("resize", Resize));
        if (Data is not null) properties.Add(new("data", Data));
        if (Seed is { } seed) properties.Add(new("seed", seed.ToString(CultureInfo.InvariantCulture)));
        if (Alpha is { } alpha) properties.Add(new("alpha", alpha.ToString("R", CultureInfo.InvariantCulture)));
        if (Temperature is { } temperature) properties.Add(new("temperature", temperature.ToString("R", CultureInfo.InvariantCulture)));
        if (ScaleByTemperatureSquared is { } t2) properties.Add(new("scale_by_temperature_squared", t2 ? "true" : "false"));
        return properties;
    }

    /// <summary>The model an export describes, from its metadata; null when the keys are not there (a file that
    /// DistillLab did not write).</summary>
    public static ModelSpec? ReadSpec(IReadOnlyDictionary<string, string> properties)
    {
        if (!properties.TryGetValue("architecture", out var architecture)
            || !properties.TryGetValue("image_size", out var size)
            || !properties.TryGetValue("channels", out var channels)
            || !properties.TryGetValue("classes", out var classes))
            return null;
        ModelKind kind = architecture switch
        {
            nameof(TeacherNet) => ModelKind.Teacher,
            nameof(StudentNet) => ModelKind.Student,
            _ => throw new InvalidDataException($"The export's architecture '{Quote.Short(architecture)}' is not one DistillLab builds ({nameof(TeacherNet)}, {nameof(StudentNet)})."),
        };
        return new ModelSpec(kind, Int("image_size", size), Int("channels", channels), Int("classes", classes));

        static int Int(string key, string text) =>
            int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0
                ? value : throw new InvalidDataException($"The export's {key} '{Quote.Short(text)}' is not a positive whole number.");
    }

    public static string ArchitectureName(ModelKind kind) => kind == ModelKind.Teacher ? nameof(TeacherNet) : nameof(StudentNet);

    public static string ProducerVersion { get; } =
        typeof(ExportMetadata).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";
}
