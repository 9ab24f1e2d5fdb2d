using DistillLab.Core.Data;
using DistillLab.Core.Models;

namespace DistillLab.Core.Experiments;

/// <summary>Where a run may read and write.</summary>
/// <param name="DataDirectory">DistillLab's own data folder: decode cache in cache/, downloaded Cats vs Dogs in cats_vs_dogs/.</param>
/// <param name="DataRoots">Folders that folder:/idx:/petimages: sources may point into; null allows any path (command line).</param>
public sealed record LabEnvironment(string DataDirectory, IReadOnlyList<string>? DataRoots = null)
{
    public string CacheDirectory => Path.Combine(DataDirectory, "cache");
    public string PetImagesDirectory => Path.Combine(DataDirectory, "cats_vs_dogs");
}

/// <summary>Runs the whole lab: load data, teacher, student from scratch, distilled student, test all three.</summary>
public sealed class LabRunner(LabEnvironment environment)
{
    public LabEnvironment Environment { get; } = environment;

    /// <summary>Runs synchronously on the calling thread (TorchSharp dispose scopes are per thread).</summary>
    public LabOutcome Run(LabConfig config, Action<LabEvent> onEvent, CancellationToken cancellationToken)
        => throw new NotImplementedException("in progress");
}

/// <summary>A finished run: its results plus the trained models, which the caller owns and must dispose.</summary>
public sealed class LabOutcome(LabResult result, LabData data, TeacherNet teacher, StudentNet scratch, StudentNet distilled) : IDisposable
{
    public LabResult Result { get; } = result;
    public LabData Data { get; } = data;
    public TeacherNet Teacher { get; } = teacher;
    public StudentNet StudentScratch { get; } = scratch;
    public StudentNet StudentDistilled { get; } = distilled;

    public void Dispose()
    {
        Teacher.Dispose();
        StudentScratch.Dispose();
        StudentDistilled.Dispose();
    }
}
