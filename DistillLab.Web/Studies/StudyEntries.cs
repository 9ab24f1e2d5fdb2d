using DistillLab.Core.Studies;
using DistillLab.Core.Training;

namespace DistillLab.Web.Studies;

/// <summary>One seed's teacher as the dashboard keeps it: Core's <see cref="TeacherResult"/> plus where a reused one came
/// from and its epochs (so a later run that reuses a study's teacher shows how it learned).</summary>
/// <param name="ReusedFrom">The run, or study teacher ("&lt;study id&gt;/seed-&lt;N&gt;"), that trained it, when reused.</param>
public sealed record StudyTeacher(int Seed, double TestAccuracy, bool Reused, string? ReusedFrom = null, IReadOnlyList<EpochMetrics>? History = null);

/// <summary>The model a running study trains now: a seed's teacher or baseline, or a trial, with its epochs so far.</summary>
/// <param name="Trial">The trial, when a distilled student trains; null for a teacher or a baseline.</param>
public sealed record StudyProgress(int Seed, ModelRole Model, TrialKey? Trial, int Epoch, int Epochs, int Batch, int Batches,
    IReadOnlyList<EpochMetrics> History);
