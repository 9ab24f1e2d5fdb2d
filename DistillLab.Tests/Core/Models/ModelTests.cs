using DistillLab.Core.Models;
using DistillLab.Core.Training;
using static TorchSharp.torch;
using DistillLab.Tests.Support;

namespace DistillLab.Tests.Core.Models;

[Collection(TorchCollection.Name)]
public class ModelTests
{
    [Fact]
    public void TeacherAndStudentHaveTheLabsParameterCountsAt224Pixels()
    {
        using var teacher = new TeacherNet(new ModelSpec(ModelKind.Teacher, 224));
        using var student = new StudentNet(new ModelSpec(ModelKind.Student, 224));
        Assert.Equal(9_568_898, Trainer.CountParameters(teacher));
        Assert.Equal(789_442, Trainer.CountParameters(student));
    }

    [Theory]
    [InlineData(46)]
    [InlineData(64)]
    [InlineData(101)]
    public void BothModelsMapAnImageBatchToOneLogitPerClass(int size)
    {
        using var teacher = new TeacherNet(new ModelSpec(ModelKind.Teacher, size, Classes: 3));
        using var student = new StudentNet(new ModelSpec(ModelKind.Student, size, Classes: 3));
        using var input = rand(5, 3, size, size);
        using var t = teacher.call(input);
        using var s = student.call(input);
        Assert.Equal([5L, 3L], t.shape);
        Assert.Equal([5L, 3L], s.shape);
    }

    [Fact]
    public void TeacherRefusesAnInputBelowItsMinimumAndSaysTheMinimum()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new TeacherNet(new ModelSpec(ModelKind.Teacher, 45)));
        Assert.Contains("at least 46", error.Message);
    }

    [Fact]
    public void TeacherInEvalModeIsDeterministicButDropoutVariesInTrainMode()
    {
        using var teacher = new TeacherNet(new ModelSpec(ModelKind.Teacher, 48));
        using var input = rand(4, 3, 48, 48);
        teacher.eval();
        using (no_grad())
        {
            using var a = teacher.call(input);
            using var b = teacher.call(input);
            Assert.True(a.allclose(b, 0, 0));
        }
        teacher.train();
        using var c = teacher.call(input);
        using var d = teacher.call(input);
        Assert.False(c.allclose(d, 0, 0));
    }

    [Fact]
    public void CheckpointRoundTripRestoresTheSameOutputs()
    {
        var path = Path.Combine(Path.GetTempPath(), $"dl-ckpt-{Guid.NewGuid():N}.bin");
        try
        {
            using var teacher = new TeacherNet(new ModelSpec(ModelKind.Teacher, 50, Classes: 4));
            ModelCheckpoint.Save(teacher, teacher.Spec, path, trainedOn: null);
            using var loaded = ModelCheckpoint.LoadTeacher(path);
            Assert.Equal(teacher.Spec, loaded.Spec);
            teacher.eval(); loaded.eval();
            using var _ = no_grad();
            using var input = rand(2, 3, 50, 50);
            using var expected = teacher.call(input);
            using var actual = loaded.call(input);
            Assert.True(expected.allclose(actual, 0, 0));
            Assert.Empty(Directory.GetFiles(Path.GetTempPath(), $".{Path.GetFileName(path)}.*.tmp"));
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void SavingAndLoadingACheckpointLeavesNoTensorsBehind()
    {
        static long Live() => TorchSharp.DisposeScopeManager.Statistics.TensorStatistics.ThreadTotalLiveCount;
        var path = Path.Combine(Path.GetTempPath(), $"dl-ckpt-{Guid.NewGuid():N}.bin");
        try
        {
            long before = Live();
            using (var teacher = new TeacherNet(new ModelSpec(ModelKind.Teacher, 48)))
                ModelCheckpoint.Save(teacher, teacher.Spec, path, trainedOn: null);
            ModelCheckpoint.LoadTeacher(path).Dispose();
            Assert.Equal(before, Live());
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void LoadingAStudentCheckpointAsATeacherOrAJunkFileFailsClearly()
    {
        var student = Path.Combine(Path.GetTempPath(), $"dl-st-{Guid.NewGuid():N}.bin");
        var junk = Path.Combine(Path.GetTempPath(), $"dl-junk-{Guid.NewGuid():N}.bin");
        try
        {
            using var model = new StudentNet(new ModelSpec(ModelKind.Student, 48));
            ModelCheckpoint.Save(model, model.Spec, student, trainedOn: null);
            File.WriteAllText(junk, "not a checkpoint");
            Assert.Contains("not a teacher", Assert.Throws<InvalidDataException>(() => ModelCheckpoint.LoadTeacher(student)).Message);
            Assert.Contains("not a DistillLab checkpoint", Assert.Throws<InvalidDataException>(() => ModelCheckpoint.LoadTeacher(junk)).Message);
            var truncated = File.ReadAllBytes(student)[..200];
            File.WriteAllBytes(junk, truncated);
            Assert.Contains("damaged", Assert.Throws<InvalidDataException>(() => ModelCheckpoint.LoadStudent(junk)).Message);
        }
        finally { File.Delete(student); File.Delete(junk); }
    }
}
