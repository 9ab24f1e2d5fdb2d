using DistillLab.Core.Experiments;

namespace DistillLab.Web.Components.Widgets;

/// <summary>The Lab form's editable values; <see cref="ToRequest"/> builds what LabConfig.Validate checks.</summary>
public sealed class RunFormModel
{
    private static readonly LabConfig Defaults = new();
    public string Data { get; set; } = Defaults.Data;
    public int? ImageSize { get; set; }
    public int? Limit { get; set; }
    public int TeacherEpochs { get; set; } = Defaults.TeacherEpochs;
    public int StudentEpochs { get; set; } = Defaults.StudentEpochs;
    public double Alpha { get; set; } = Defaults.Alpha;
    public double Temperature { get; set; } = Defaults.Temperature;
    public bool ScaleByTemperatureSquared { get; set; }
    public int BatchSize { get; set; } = Defaults.BatchSize;
    public double LearningRate { get; set; } = Defaults.LearningRate;
    public int Seed { get; set; } = Defaults.Seed;
    public string Device { get; set; } = Defaults.Device;
    /// <summary>null: the data source's default (lab for petimages, smooth otherwise).</summary>
    public string? Resize { get; set; }
    /// <summary>null: the seeded split.</summary>
    public string? Split { get; set; }
    public bool ReuseTeacher { get; set; } = true;

    /// <summary>A run's settings as the form edits them.</summary>
    public static RunFormModel From(LabConfig c, bool reuse) => new()
    {
        Data = c.Data, ImageSize = c.ImageSize, Limit = c.Limit, TeacherEpochs = c.TeacherEpochs, StudentEpochs = c.StudentEpochs,
        Alpha = c.Alpha, Temperature = c.Temperature, ScaleByTemperatureSquared = c.ScaleByTemperatureSquared,
        BatchSize = c.BatchSize, LearningRate = c.LearningRate, Seed = c.Seed, Device = c.Device, Resize = c.Resize, Split = c.Split, ReuseTeacher = reuse,
    };

    public Training.RunRequest ToRequest() => new(new LabConfig
    {
        Data = Data, ImageSize = ImageSize, Limit = Limit, TeacherEpochs = TeacherEpochs, StudentEpochs = StudentEpochs,
        Alpha = Alpha, Temperature = Temperature, ScaleByTemperatureSquared = ScaleByTemperatureSquared,
        BatchSize = BatchSize, LearningRate = LearningRate, Seed = Seed, Device = Device, Resize = Resize, Split = Split,
    }, ReuseTeacher);
}
