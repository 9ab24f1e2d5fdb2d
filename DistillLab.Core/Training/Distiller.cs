using TorchSharp;
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
public sealed class Distiller
{
    /// <summary>Keras clips both probability vectors to [1e-7, 1] inside KLDivergence.</summary>
    private const double KerasEpsilon = 1e-7;

    private readonly double alpha, temperature;
    private readonly bool scaleByTemperatureSquared;
    private readonly TeacherLogits? cached;

    /// <summary>A distiller that runs the teacher on every batch.</summary>
    public Distiller(TeacherNet teacher, StudentNet student, double alpha, double temperature, bool scaleByTemperatureSquared = false)
        : this(student, alpha, temperature, scaleByTemperatureSquared) => Teacher = teacher;

    /// <summary>A distiller that reads the teacher's logits from a cache over the training set (<see cref="TeacherLogits"/>):
    /// the same losses, without a teacher forward pass per batch. The cache stays the caller's to dispose.</summary>
    public Distiller(TeacherLogits teacherLogits, StudentNet student, double alpha, double temperature, bool scaleByTemperatureSquared = false)
        : this(student, alpha, temperature, scaleByTemperatureSquared) => cached = teacherLogits;

    private Distiller(StudentNet student, double alpha, double temperature, bool scaleByTemperatureSquared)
    {
        Student = student;
        this.alpha = alpha;
        this.temperature = temperature;
        this.scaleByTemperatureSquared = scaleByTemperatureSquared;
    }

    /// <summary>The teacher, when this distiller runs it; null when it reads cached logits.</summary>
    public TeacherNet? Teacher { get; }
    public StudentNet Student { get; }

    /// <summary>The lab's loss: alpha * CE(labels, student) + (1 - alpha) * KL(softmax(teacher/T) || softmax(student/T)).</summary>
    /// <param name="labels">Class indices (int64), one per row.</param>
    public static DistillerLoss ComputeLoss(Tensor studentLogits, Tensor teacherLogits, Tensor labels,
        double alpha, double temperature, bool scaleByTemperatureSquared = false)
    {
        // Every number goes to libtorch as a Scalar held here until the call returns. TorchSharp's implicit conversions
        // (logits / temperature, alpha * loss, the 1 of loss + loss) leave their Scalar to the finalizer, which can free
        // it while libtorch still reads it: trials on a worker failed with "Unknown scalar type" in div and a failed
        // check in add (CI, 2 and 3 December 2026). KerasAdam does the same for the optimizer.
        using var t = temperature.ToScalar();
        using var epsilon = KerasEpsilon.ToScalar();
        using var one = 1.0.ToScalar();
        using var studentWeight = alpha.ToScalar();
        using var distillationWeight = (1 - alpha).ToScalar();
        using var tSquared = (temperature * temperature).ToScalar();
        var studentLoss = functional.cross_entropy(studentLogits, labels);
        var teacherProbs = functional.softmax(teacherLogits.div(t), 1).clamp(epsilon, one);
        var studentProbs = functional.softmax(studentLogits.div(t), 1).clamp(epsilon, one);
        var distillationLoss = (teacherProbs * (teacherProbs / studentProbs).log()).sum(1).mean();
        if (scaleByTemperatureSquared)
            distillationLoss = distillationLoss.mul(tSquared);
        var total = studentLoss.mul(studentWeight).add(distillationLoss.mul(distillationWeight), one); // '+' would convert 1 implicitly
        return new DistillerLoss(total, studentLoss, distillationLoss);
    }

    /// <summary>The loss for one batch: the teacher's logits (cached, or from the teacher in eval mode without gradients),
    /// so only the student learns.</summary>
    /// <param name="indices">The batch's image positions in the training set, as <see cref="Data.Batch.Indices"/>.</param>
    public StepLoss Step(Tensor images, Tensor labels, int[] indices)
    {
        Tensor teacherLogits;
        if (cached is not null)
            teacherLogits = cached.For(indices);
        else
        {
            using var _ = no_grad();
            Teacher!.eval();
            teacherLogits = Teacher.call(images);
        }
        var studentLogits = Student.call(images);
        var loss = ComputeLoss(studentLogits, teacherLogits, labels, alpha, temperature, scaleByTemperatureSquared);
        return new StepLoss(loss.Total, studentLogits, loss.StudentLoss, loss.DistillationLoss);
    }
}
