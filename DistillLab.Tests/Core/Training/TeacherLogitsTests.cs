using DistillLab.Tests.Support;
using DistillLab.Core.Data;
using DistillLab.Core.Models;
using DistillLab.Core.Training;
using static TorchSharp.torch;

namespace DistillLab.Tests.Core.Training;

[Collection(TorchCollection.Name)]
public sealed class TeacherLogitsTests
{
    /// <summary>The cache is computed at the training batch size. At 16 and 32 (the lab's default) an image's logits do not
    /// depend on the batch's other images or on the image's place in it, so the cached rows are bit for bit what the
    /// teacher gives inside any training batch. At 7 libtorch's kernels round a row by its place in the batch (the last
    /// bit of a float): the cached rows are then the teacher's logits to float precision, not to the bit.</summary>
    [Theory]
    [InlineData(16, 64, 0f)]
    [InlineData(32, 96, 0f)]
    [InlineData(7, 35, 1e-6f)]
    public void CachedRowsAreTheTeachersLogitsForThoseImagesInAnyShuffledBatchOfTheSameSize(int batchSize, int images, float tolerance)
    {
        var data = TinyData.Lab(train: images);
        manual_seed(3);
        using var teacher = new TeacherNet(new ModelSpec(ModelKind.Teacher, 48));
        using var cache = TeacherLogits.Compute(teacher, data.Train, batchSize, CPU, CancellationToken.None);
        Assert.Equal(images, cache.Count);

        teacher.eval();
        using var _ = no_grad();
        foreach (var seed in new[] { 5, 6, 7 })
            foreach (var batch in BatchLoader.Batches(data.Train, batchSize, shuffleSeed: seed))
            {
                using var scope = NewDisposeScope();
                var direct = teacher.call(Trainer.ToTensors(batch, CPU).Images).data<float>().ToArray();
                var cached = cache.For(batch.Indices).data<float>().ToArray();
                Assert.Equal(direct.Length, cached.Length);
                for (int i = 0; i < direct.Length; i++)
                    Assert.True(Math.Abs(direct[i] - cached[i]) <= tolerance * Math.Max(1, Math.Abs(direct[i])), $"logit {i}: {direct[i]} vs {cached[i]}");
            }
    }

    /// <summary>The cache must not change the lab's numbers: a student distilled from cached logits ends with the very
    /// weights and curve of one distilled from the teacher batch by batch.</summary>
    [Fact]
    public void DistillingFromTheCacheTrainsTheSameStudentBitForBit()
    {
        var data = TinyData.Lab(train: 48);
        var options = new TrainingOptions(2, 16, 1e-3, 4);
        manual_seed(11);
        using var teacher = new TeacherNet(new ModelSpec(ModelKind.Teacher, 48));
        var trainer = new Trainer(CPU, _ => { }, CancellationToken.None);

        manual_seed(5);
        using var direct = new StudentNet(new ModelSpec(ModelKind.Student, 48));
        var directHistory = trainer.Fit(direct, ModelRole.StudentDistilled, data.Train, data.Validation, options,
            new Distiller(teacher, direct, 0.3, 4).Step);

        using var cache = TeacherLogits.Compute(teacher, data.Train, 16, CPU, CancellationToken.None);
        manual_seed(5);
        using var fromCache = new StudentNet(new ModelSpec(ModelKind.Student, 48));
        var cachedHistory = trainer.Fit(fromCache, ModelRole.StudentDistilled, data.Train, data.Validation, options,
            new Distiller(cache, fromCache, 0.3, 4).Step);

        foreach (var (name, values) in DistillerTests.Snapshot(direct))
            Assert.Equal(values, DistillerTests.Snapshot(fromCache)[name]);
        Assert.Equal(directHistory.Select(e => (e.TrainLoss, e.ValAccuracy, e.DistillationLoss)),
            cachedHistory.Select(e => (e.TrainLoss, e.ValAccuracy, e.DistillationLoss)));
    }

    /// <summary>The job engine stores a seed's logits as bytes for trials on other workers: every row comes back bit for bit.</summary>
    [Fact]
    public void BytesGiveBackEveryRowBitForBit()
    {
        var data = TinyData.Lab(train: 40);
        manual_seed(3);
        using var teacher = new TeacherNet(new ModelSpec(ModelKind.Teacher, 48));
        using var cache = TeacherLogits.Compute(teacher, data.Train, 16, CPU, CancellationToken.None);

        using var back = TeacherLogits.FromBytes(cache.ToBytes(), CPU);

        var all = Enumerable.Range(0, data.Train.Count).ToArray();
        using var expected = cache.For(all);
        using var actual = back.For(all);
        Assert.Equal(40, back.Count);
        Assert.Equal(expected.shape, actual.shape);
        Assert.Equal(expected.data<float>().ToArray(), actual.data<float>().ToArray());
    }

    [Fact]
    public void BytesOfTheWrongLengthAreRefusedWithTheSizes()
    {
        var data = TinyData.Lab(train: 20);
        manual_seed(3);
        using var teacher = new TeacherNet(new ModelSpec(ModelKind.Teacher, 48));
        using var cache = TeacherLogits.Compute(teacher, data.Train, 16, CPU, CancellationToken.None);
        var bytes = cache.ToBytes();

        var cut = Assert.Throws<InvalidDataException>(() => TeacherLogits.FromBytes(bytes[..^4], CPU));
        Assert.Contains($"20 x 2 need {bytes.Length} bytes; got {bytes.Length - 4}", cut.Message);
        Assert.Throws<InvalidDataException>(() => TeacherLogits.FromBytes(new byte[3], CPU));
    }
}
