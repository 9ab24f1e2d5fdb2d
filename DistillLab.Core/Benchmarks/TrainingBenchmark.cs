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
    double PipelineImagesPerSecond,
    double DistilledEpochImagesPerSecond,
    double DistilledUncachedEpochImagesPerSecond)
{
    /// <summary>A distilled epoch's time over a scratch epoch's, with the teacher's logits cached (target <= 1.15).</summary>
    public double DistilledOverScratch => StudentEpochImagesPerSecond / DistilledEpochImagesPerSecond;

    /// <summary>The same without the cache: the teacher runs on every batch.</summary>
    public double UncachedDistilledOverScratch => StudentEpochImagesPerSecond / DistilledUncachedEpochImagesPerSecond;

    /// <summary>How much longer a real epoch (data pipeline + trainer bookkeeping) takes than the bare training steps.</summary>
    public double TeacherEpochOverhead => TeacherComputeImagesPerSecond / TeacherEpochImagesPerSecond - 1;
    public double StudentEpochOverhead => StudentComputeImagesPerSecond / StudentEpochImagesPerSecond - 1;
}

/// <summary>Measures training throughput with and without the data pipeline, the pipeline alone, and a distilled epoch
/// against a scratch one.</summary>
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
        // Distilled students from the same start: teacher logits cached once (as the lab and studies train), then the
        // teacher run on every batch (as before the cache). The cache's one pass is outside the epochs, as in a study.
        double Distilled(Func<StudentNet, Distiller> distiller)
        {
            using var distilled = new StudentNet(new ModelSpec(ModelKind.Student, imageSize));
            distilled.to(device);
            return trainer.Fit(distilled, ModelRole.StudentDistilled, set, validation, options, distiller(distilled).Step)[^1].ImagesPerSecond;
        }
        using var logits = TeacherLogits.Compute(teacher, set, batchSize, device, CancellationToken.None);
        double distilledEpoch = Distilled(s => new Distiller(logits, s, 0.05, 5));
        double uncachedEpoch = Distilled(s => new Distiller(teacher, s, 0.05, 5));

        return new TrainingBenchmarkResult(imageSize, batchSize, get_num_threads(), device.type.ToString().ToLowerInvariant(),
            compute.TeacherImagesPerSecond, compute.StudentImagesPerSecond, teacherEpoch, studentEpoch, pipeline, distilledEpoch, uncachedEpoch);
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
