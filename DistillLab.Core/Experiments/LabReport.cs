using System.Text.Json;
using System.Text.Json.Serialization;

namespace DistillLab.Core.Experiments;

/// <summary>The `lab --out` JSON document. (The HTTP API has its own shape, RunDetails, with live state and reuse.)</summary>
public sealed record LabReport(
    LabReport.ConfigPart Config,
    LabReport.DataPart Data,
    LabReport.ModelPart Teacher,
    LabReport.ModelPart StudentScratch,
    LabReport.ModelPart StudentDistilled,
    double TotalSeconds,
    IReadOnlyList<LabReport.ForeignPart>? ForeignModels = null)
{
    public sealed record ConfigPart(string Data, int ImageSize, double Alpha, double Temperature, bool ScaleByTemperatureSquared,
        int BatchSize, double LearningRate, int TeacherEpochs, int StudentEpochs, int Seed, string Device, int? Limit, string? Teacher,
        string? Scratch = null, string? Resize = null, bool AllowForeignTeacher = false, string Split = "seeded");

    public sealed record DataPart(IReadOnlyList<string> Classes, int Train, int Validation, int Test, IReadOnlyDictionary<string, int> Skipped);

    /// <summary>A saved model used although it was not trained on this run's training split (--allow-foreign-teacher).</summary>
    /// <param name="Model">"teacher" or "studentScratch", as the model keys of the report.</param>
    public sealed record ForeignPart(string Model, string Path, IReadOnlyList<string> Differences, string Consequence);

    public sealed record ModelPart(long Parameters, double TestAccuracy, double TestLoss, IReadOnlyList<EpochMetrics> History, bool Reused);

    /// <summary>camelCase, indented, and no "studentLoss"/"distillationLoss" keys on models that have none.</summary>
    public static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static LabReport From(LabResult result)
    {
        var c = result.Config;
        return new LabReport(
            new ConfigPart(c.Data, result.ImageSize, c.Alpha, c.Temperature, c.ScaleByTemperatureSquared, c.BatchSize,
                c.LearningRate, c.TeacherEpochs, c.StudentEpochs, c.Seed, result.Device, c.Limit, c.TeacherPath, c.ScratchPath,
                // The synthetic set is drawn at its size: no resize happens, so none is reported.
                SavedModelCheck.ResizeName(c), c.AllowForeignTeacher, c.Split ?? "seeded"),
            new DataPart(result.Data.Classes, result.Data.Train, result.Data.Validation, result.Data.Test, result.Data.Skipped),
            Model(result.Teacher), Model(result.StudentScratch), Model(result.StudentDistilled), result.TotalSeconds,
            result.ForeignModels is { Count: > 0 } foreign
                ? foreign.Select(f => new ForeignPart(f.Model == ModelRole.Teacher ? "teacher" : "studentScratch", f.Path, f.Differences, f.Consequence)).ToList()
                : null);
    }

    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    /// <summary>Writes the report all or nothing (<see cref="AtomicFile"/>): never a half-written report.</summary>
    public void Save(string path) => AtomicFile.Write(path, stream =>
    {
        using var writer = new StreamWriter(stream, leaveOpen: true);
        writer.Write(ToJson());
    });

    private static ModelPart Model(ModelResult m) => new(m.Parameters, m.TestAccuracy, m.TestLoss, m.History, m.Reused);
}
