using System.Text.Json;
using System.Text.Json.Serialization;
using DistillLab.Core.Insight;
using DistillLab.Core.Training;

namespace DistillLab.Core.Experiments;

/// <summary>The `lab --out` JSON document. (The HTTP API has its own shape, RunDetails, with live state and reuse.)</summary>
public sealed record LabReport(
    LabConfig Config,
    LabReport.DataPart Data,
    ModelResult Teacher,
    ModelResult StudentScratch,
    ModelResult StudentDistilled,
    double TotalSeconds,
    IReadOnlyList<LabReport.ForeignPart>? ForeignModels = null,
    RunInsight? Insight = null)
{
    /// <summary>The run's <see cref="DataSummary"/> less its source (the config's data names it): the keys reports have always had.</summary>
    public sealed record DataPart(IReadOnlyList<string> Classes, int Train, int Validation, int Test, IReadOnlyDictionary<string, int> Skipped);

    /// <summary>A saved model used although it was not trained on this run's training split (--allow-foreign-teacher).</summary>
    /// <param name="Model">"teacher" or "studentScratch", as the model keys of the report.</param>
    public sealed record ForeignPart(string Model, string Path, IReadOnlyList<string> Differences, string Consequence);

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
            // The run's own settings, with what "default" meant resolved: the size and device it ran at, its resize
            // (none for the drawn set) and its split. Every LabConfig setting is here, a new one included.
            c with { ImageSize = result.ImageSize, Device = result.Device, Resize = SavedModelCheck.ResizeName(c), Split = c.Split ?? "seeded" },
            new DataPart(result.Data.Classes, result.Data.Train, result.Data.Validation, result.Data.Test, result.Data.Skipped),
            result.Teacher, result.StudentScratch, result.StudentDistilled, result.TotalSeconds,
            result.ForeignModels is { Count: > 0 } foreign
                ? foreign.Select(f => new ForeignPart(f.Model == ModelRole.Teacher ? "teacher" : "studentScratch", f.Path, f.Differences, f.Consequence)).ToList()
                : null,
            result.Insight);
    }

    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    /// <summary>Writes the report all or nothing (<see cref="AtomicFile"/>): never a half-written report.</summary>
    public void Save(string path) => AtomicFile.Write(path, stream =>
    {
        using var writer = new StreamWriter(stream, leaveOpen: true);
        writer.Write(ToJson());
    });
}
