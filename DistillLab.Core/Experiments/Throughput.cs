using System.Diagnostics;
using DistillLab.Core.Models;
using DistillLab.Core.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace DistillLab.Core.Experiments;

/// <summary>Training throughput of the lab's two models on one device, in training images per second.</summary>
/// <remarks>From <see cref="Measure"/> (a few real steps on random data) or from the epochs of a finished run.</remarks>
public sealed record Throughput(double TeacherImagesPerSecond, double StudentImagesPerSecond)
{
    /// <summary>The distilled student's training speed where it was measured; null takes the student's (the teacher's
    /// logits are cached once per run, so a distilled step costs about a scratch step: docs/benchmarks.md).</summary>
    public double? DistilledImagesPerSecond { get; init; }

    /// <summary>Time of a forward-only pass (validation, testing) per image, as a share of a training step's.</summary>
    public double EvaluationShare { get; init; } = 1.0 / 3;

    /// <summary>Times a few Adam steps and forward passes of each model on random data; about a second at 64 px on two CPU cores.</summary>
    /// <remarks>Two untimed steps first (one-off allocations, libtorch's first calls), then the median of <paramref name="steps"/>
    /// timed ones: on a busy machine single steps took 2-10 times the usual, and a mean of three was off by as much.</remarks>
    public static Throughput Measure(Device device, int imageSize, int batchSize, int steps = 5)
    {
        using var scope = NewDisposeScope();
        var images = rand(batchSize, 3, imageSize, imageSize, device: device);
        var labels = randint(0, 2, [batchSize], device: device);
        using var teacher = new TeacherNet(new ModelSpec(ModelKind.Teacher, imageSize));
        using var student = new StudentNet(new ModelSpec(ModelKind.Student, imageSize));
        teacher.to(device);
        student.to(device);
        var (teacherTrain, teacherEval) = Time(teacher, images, labels, steps);
        var (studentTrain, studentEval) = Time(student, images, labels, steps);
        return new Throughput(teacherTrain, studentTrain)
        {
            EvaluationShare = (teacherTrain / teacherEval + studentTrain / studentEval) / 2,
        };
    }

    /// <summary>Images per second of a training step and of an evaluation pass (eval mode, no gradients).</summary>
    private static (double Train, double Evaluate) Time(nn.Module<Tensor, Tensor> model, Tensor images, Tensor labels, int steps)
    {
        // The lab's default optimizer settings (LabConfig); they set the numbers, not the speed.
        var defaults = new LabConfig();
        using var optimizer = new KerasAdam(model.parameters(), defaults.LearningRate, defaults.AdamEpsilon);
        model.train();
        var train = Rate(Step);
        model.eval();
        using (no_grad()) return (train, Rate(Forward));

        double Rate(Action action)
        {
            action();
            action();
            var seconds = new double[steps];
            for (int i = 0; i < steps; i++)
            {
                long start = Stopwatch.GetTimestamp();
                action();
                seconds[i] = Stopwatch.GetElapsedTime(start).TotalSeconds;
            }
            Array.Sort(seconds);
            return images.shape[0] / seconds[steps / 2];
        }

        void Step()
        {
            using var scope = NewDisposeScope();
            optimizer.ZeroGrad();
            nn.functional.cross_entropy(model.call(images), labels).backward();
            optimizer.Step();
            _ = model.parameters().First().sum().item<float>(); // wait for the device
        }

        void Forward()
        {
            using var scope = NewDisposeScope();
            _ = model.call(images).sum().item<float>();
        }
    }

    /// <summary>Seconds for one forward-only pass of the teacher and both students over <paramref name="images"/> images (testing, predicting).</summary>
    public double AllModelsEvaluationSeconds(int images) =>
        images * EvaluationShare * (1 / TeacherImagesPerSecond + 2 / StudentImagesPerSecond);

    /// <summary>Seconds per image of a training step of the distilled student: measured, or the student's step.</summary>
    internal double DistilledStepSeconds => DistilledImagesPerSecond is { } measured ? 1 / measured : 1 / StudentImagesPerSecond;
}
