using DistillLab.Core.Models;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace DistillLab.Core.Training;

/// <summary>The three losses of one distillation step, as scalar tensors.</summary>
public sealed record DistillerLoss(Tensor Total, Tensor StudentLoss, Tensor DistillationLoss);

/// <summary>Knowledge distillation (Hinton et al., 2015) as the reference lab does it: a frozen teacher's
/// temperature-softened outputs guide a student that also learns from the hard labels.</summary>
/// <remarks>
/// alpha weighs the hard-label cross-entropy and 1 - alpha the distillation term; the lab uses 0.05.
/// temperature T divides both models' logits before the softmax; higher T exposes more of the teacher's
/// "dark knowledge" about wrong classes; the lab uses 5. The lab does not scale the distillation term by T^2;
/// Hinton et al. do, so the soft-target gradients keep their size as T changes: offered, off by default.
/// </remarks>
public sealed class Distiller(TeacherNet teacher, StudentNet student, double alpha, double temperature, bool scaleByTemperatureSquared = false)
{
    /// <summary>Keras clips both probability vectors to [1e-7, 1] inside KLDivergence.</summary>
    private const double KerasEpsilon = 1e-7;

    public TeacherNet Teacher { get; } = teacher;
    public StudentNet Student { get; } = student;

    /// <summary>The lab's loss: alpha * CE(labels, student) + (1 - alpha) * KL(softmax(teacher/T) || softmax(student/T)).</summary>
    /// <param name="labels">Class indices (int64), one per row.</param>
    public static DistillerLoss ComputeLoss(Tensor studentLogits, Tensor teacherLogits, Tensor labels,
        double alpha, double temperature, bool scaleByTemperatureSquared = false)
    {
        var studentLoss = functional.cross_entropy(studentLogits, labels);
        var teacherProbs = functional.softmax(teacherLogits / temperature, 1).clamp(KerasEpsilon, 1.0);
        var studentProbs = functional.softmax(studentLogits / temperature, 1).clamp(KerasEpsilon, 1.0);
        var distillationLoss = (teacherProbs * (teacherProbs / studentProbs).log()).sum(1).mean();
        if (scaleByTemperatureSquared)
            distillationLoss = distillationLoss * (temperature * temperature);
        var total = alpha * studentLoss + (1 - alpha) * distillationLoss;
        return new DistillerLoss(total, studentLoss, distillationLoss);
    }

    /// <summary>The loss for one batch: the teacher runs in eval mode without gradients, so only the student learns.</summary>
    public StepLoss Step(Tensor images, Tensor labels)
    {
        Tensor teacherLogits;
        using (no_grad())
        {
            Teacher.eval();
            teacherLogits = Teacher.call(images);
        }
        var studentLogits = Student.call(images);
        var loss = ComputeLoss(studentLogits, teacherLogits, labels, alpha, temperature, scaleByTemperatureSquared);
        return new StepLoss(loss.Total, studentLogits, loss.StudentLoss, loss.DistillationLoss);
    }
}
