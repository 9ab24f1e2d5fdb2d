using System.Diagnostics;
using DistillLab.Core.Models;
using DistillLab.Core.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace DistillLab.Core.Experiments;

/// <summary>Training throughput of the lab's two models on one device, measured with a few real training steps.</summary>
public sealed record Throughput(double TeacherImagesPerSecond, double StudentImagesPerSecond)
{
    /// <summary>Times a few Adam steps of each model on random data; about a second at 64 px on two CPU cores.</summary>
    public static Throughput Measure(Device device, int imageSize, int batchSize, int steps = 3)
    {
        using var scope = NewDisposeScope();
        var images = rand(batchSize, 3, imageSize, imageSize, device: device);
        var labels = randint(0, 2, [batchSize], device: device);
        using var teacher = new TeacherNet(new ModelSpec(ModelKind.Teacher, imageSize));
        using var student = new StudentNet(new ModelSpec(ModelKind.Student, imageSize));
        teacher.to(device);
        student.to(device);
        return new Throughput(Time(teacher, images, labels, steps), Time(student, images, labels, steps));
    }

    private static double Time(nn.Module<Tensor, Tensor> model, Tensor images, Tensor labels, int steps)
    {
        using var optimizer = optim.Adam(model.parameters());
        Step(); // the first step allocates; it is not timed
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < steps; i++) Step();
        return steps * images.shape[0] / clock.Elapsed.TotalSeconds;

        void Step()
        {
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            nn.functional.cross_entropy(model.call(images), labels).backward();
            optimizer.step();
            _ = model.parameters().First().sum().item<float>(); // wait for the device
        }
    }
}

/// <summary>How long a run will take, from its sizes and a measured <see cref="Throughput"/>.</summary>
public static class RunEstimate
{
    /// <remarks>Validation and testing run forward only (about a third of a training step); the distilled
    /// student also runs the teacher forward on every batch.</remarks>
    public static TimeSpan Estimate(LabConfig config, int trainImages, int validationImages, int testImages, Throughput speed)
    {
        double teacherStep = 1 / speed.TeacherImagesPerSecond, studentStep = 1 / speed.StudentImagesPerSecond;
        double evalShare = 1.0 / 3;
        double teacher = config.TeacherPath is null
            ? config.TeacherEpochs * (trainImages * teacherStep + validationImages * teacherStep * evalShare) : 0;
        teacher += testImages * teacherStep * evalShare;
        double studentEpoch = trainImages * studentStep + validationImages * studentStep * evalShare;
        double scratch = config.StudentEpochs * studentEpoch + testImages * studentStep * evalShare;
        double distilled = config.StudentEpochs * (studentEpoch + trainImages * teacherStep * evalShare) + testImages * studentStep * evalShare;
        return TimeSpan.FromSeconds(teacher + scratch + distilled);
    }
}
