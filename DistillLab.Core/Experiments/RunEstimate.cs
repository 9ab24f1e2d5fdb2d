using System.Diagnostics;
using DistillLab.Core.Models;
using DistillLab.Core.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace DistillLab.Core.Experiments;

/// <summary>How long a run will take, part by part, from its sizes and a <see cref="Throughput"/>.</summary>
/// <param name="Teacher">Training the teacher (each epoch with its validation pass) and testing it; only the test when it is reused.</param>
/// <param name="Scratch">The same for the student from scratch.</param>
/// <param name="Distilled">The same for the distilled student, plus one teacher forward pass over the training images
/// (its logits, cached for every epoch).</param>
/// <remarks>Loading the data is not included: it depends on the source and its decode cache, not on a throughput.</remarks>
public sealed record RunEstimate(TimeSpan Teacher, TimeSpan Scratch, TimeSpan Distilled)
{
    public TimeSpan Total => Teacher + Scratch + Distilled;

    public TimeSpan Phase(ModelRole role) => role switch
    {
        ModelRole.Teacher => Teacher,
        ModelRole.StudentScratch => Scratch,
        _ => Distilled,
    };

    /// <summary>The three phases of a run. A model the config reuses (<see cref="LabConfig.TeacherPath"/>,
    /// <see cref="LabConfig.ScratchPath"/>) costs only its test.</summary>
    public static RunEstimate Of(LabConfig config, int trainImages, int validationImages, int testImages, Throughput speed)
    {
        double teacherStep = 1 / speed.TeacherImagesPerSecond, studentStep = 1 / speed.StudentImagesPerSecond;
        double share = speed.EvaluationShare;
        double Epochs(int epochs, double trainStep, double evalStep) => epochs * (trainImages * trainStep + validationImages * evalStep);

        double teacher = (config.TeacherPath is null ? Epochs(config.TeacherEpochs, teacherStep, teacherStep * share) : 0)
                         + testImages * teacherStep * share;
        double scratch = (config.ScratchPath is null ? Epochs(config.StudentEpochs, studentStep, studentStep * share) : 0)
                         + testImages * studentStep * share;
        double distilled = trainImages * teacherStep * share
                           + Epochs(config.StudentEpochs, speed.DistilledStepSeconds, studentStep * share) + testImages * studentStep * share;
        return new RunEstimate(TimeSpan.FromSeconds(teacher), TimeSpan.FromSeconds(scratch), TimeSpan.FromSeconds(distilled));
    }

    /// <summary>The whole run's duration, <see cref="Of"/>'s three phases together.</summary>
    public static TimeSpan Estimate(LabConfig config, int trainImages, int validationImages, int testImages, Throughput speed)
        => Of(config, trainImages, validationImages, testImages, speed).Total;
}
