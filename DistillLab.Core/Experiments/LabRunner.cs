using DistillLab.Core.Data;
using DistillLab.Core.Models;

namespace DistillLab.Core.Experiments;

/// <summary>Where a run may read and write: the decode cache and the folders data sources may come from.</summary>
public sealed record LabEnvironment(string CacheDirectory, IReadOnlyList<string>? DataRoots = null);

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
