using System.Diagnostics;
using DistillLab.Core.Data;
using DistillLab.Core.Experiments;
using DistillLab.Core.Models;
using DistillLab.Core.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace DistillLab.Core.Benchmarks;

/// <summary>Figures of one benchmark run; every ratio compares numbers measured in that same run.</summary>
public sealed record TrainingBenchmarkResult(
    int ImageSize, int BatchSize, int Threads, string Device,
    double TeacherComputeImagesPerSecond, double StudentComputeImagesPerSecond,
    double TeacherEpochImagesPerSecond, double StudentEpochImagesPerSecond,
    double PipelineImagesPerSecond)
{
    /// <summary>How much longer a real epoch (data pipeline + trainer bookkeeping) takes than the bare training steps.</summary>
    public double TeacherEpochOverhead => TeacherComputeImagesPerSecond / TeacherEpochImagesPerSecond - 1;
    public double StudentEpochOverhead => StudentComputeImagesPerSecond / StudentEpochImagesPerSecond - 1;
}

/// <summary>Measures training throughput with and without the data pipeline, and the pipeline alone.</summary>
public static class TrainingBenchmark
{
    public static TrainingBenchmarkResult Run(Device device, int imageSize, int batchSize, int images, int computeSteps)
    {
        var set = RandomImages(images, imageSize);
        var compute = Throughput.Measure(device, imageSize, batchSize, computeSteps);
        double pipeline = PipelineImagesPerSecond(set, batchSize);
        var validation = RandomImages(batchSize, imageSize);
        // Two epochs, the second one measured: like the bare steps (whose first step is not timed), the figure
        // leaves out the first step's one-off allocations (Adam's state, libtorch's first-call set-up).
        var options = new TrainingOptions(Epochs: 2, batchSize, 1e-3, Seed: 1);
        var trainer = new Trainer(device, _ => { }, CancellationToken.None);

        using var teacher = new TeacherNet(new ModelSpec(ModelKind.Teacher, imageSize));
        using var student = new StudentNet(new ModelSpec(ModelKind.Student, imageSize));
        teacher.to(device);
        student.to(device);
        // Epoch throughput as the trainer reports it: batches come from the BatchLoader, with the
        // trainer's per-batch loss/accuracy read-back included; validation is not part of the figure.
        double teacherEpoch = trainer.Fit(teacher, ModelRole.Teacher, set, validation, options)[^1].ImagesPerSecond;
        double studentEpoch = trainer.Fit(student, ModelRole.StudentScratch, set, validation, options)[^1].ImagesPerSecond;

        return new TrainingBenchmarkResult(imageSize, batchSize, get_num_threads(), device.type.ToString().ToLowerInvariant(),
            compute.TeacherImagesPerSecond, compute.StudentImagesPerSecond, teacherEpoch, studentEpoch, pipeline);
    }

    /// <summary>Batches per second from an in-memory (decode-cached) set, shuffled, with no model consuming them.</summary>
    public static double PipelineImagesPerSecond(ImageSet set, int batchSize)
    {
        var clock = Stopwatch.StartNew();
        long seen = 0;
        foreach (var batch in BatchLoader.Batches(set, batchSize, shuffleSeed: 7))
            seen += batch.Count;
        return seen / clock.Elapsed.TotalSeconds;
    }

    private static ImageSet RandomImages(int count, int size)
    {
        var pixels = new byte[(long)count * 3 * size * size];
        new Random(3).NextBytes(pixels);
        return new ImageSet(pixels, Enumerable.Range(0, count).Select(i => i % 2).ToArray(), 3, size);
    }
}
