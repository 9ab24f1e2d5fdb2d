using DistillLab.Core.Data;
using DistillLab.Core.Data.Synthetic;
using System.Text.Json;
using DistillLab.Core.Experiments;
using DistillLab.Core.Training;
using DistillLab.Web.Hosting;

namespace DistillLab.Web.Runs;

/// <summary>What makes a trained model reusable by a later run: the run's settings with those that cannot shape this
/// model cleared. Derived from LabConfig itself, so a new setting shapes every model until it is cleared here: a new
/// hyper-parameter can make reuse rarer, never wrong.</summary>
public sealed record ModelKey(ModelRole Role, LabConfig Shape)
{
    public static ModelKey For(ModelRole role, LabConfig config)
    {
        // How the run is carried out and where it finds saved models says nothing about what a model learned.
        var shape = config with
        {
            Data = config.Data.Trim(), TeacherPath = null, ScratchPath = null, AllowForeignTeacher = false,
            // Spelled out, so "lab" and the petimages default (null) are one key; the drawn set resizes nothing.
            Resize = SavedModelCheck.ResizeName(config),
            Split = config.Split ?? "seeded",
        };
        return role switch
        {
            // The teacher never sees alpha, T, T² or the students' epochs.
            ModelRole.Teacher => new(role, shape with { Alpha = 0, Temperature = 0, ScaleByTemperatureSquared = false, StudentEpochs = 0 }),
            // The scratch student never sees the teacher: nor its epochs, nor how the distilled student learns from it.
            ModelRole.StudentScratch => new(role, shape with { Alpha = 0, Temperature = 0, ScaleByTemperatureSquared = false, TeacherEpochs = 0 }),
            _ => throw new ArgumentOutOfRangeException(nameof(role), "A distilled student is what a run makes; it is never reused."),
        };
    }

    /// <summary>The key as stored with each run (the runs table's teacher_key and scratch_key). For the built-in set it
    /// ends with the set's split rule: the set was redrawn on 3 December 2026 (scenes, flipped training labels, a new
    /// split), and a model stored for its earlier pictures, whose key lacks the rule, must not be found for today's runs
    /// (the runner's check would refuse it as foreign, failing the run instead of training afresh).</summary>
    public override string ToString() => $"{Role}|{JsonSerializer.Serialize(Shape, JsonDefaults.Options)}{SetVersion(Shape.Data)}";

    private static string SetVersion(string data) => DataSourceSpec.IsSynthetic(data) ? $"|{SyntheticCatsDogs.SplitRule}" : "";
}
