using DistillLab.Core.Experiments;
using DistillLab.Core.Models;
using static TorchSharp.torch;
using DistillLab.Core.Training;
using DistillLab.Core.Data;
using DistillLab.Core;
using DistillLab.Tests.Support;

namespace DistillLab.Tests.Core.Experiments;

/// <summary>LabConfig.ScratchPath with TeacherPath: a retune of alpha, T or T² trains only the distilled student.</summary>
[Collection(TorchCollection.Name)]
public sealed class SavedModelReuseTests : IDisposable
{
    private static readonly LabConfig TinyConfig = new() { Data = "tiny", TeacherEpochs = 2, StudentEpochs = 2, BatchSize = 16, Seed = 3 };
    private readonly string folder = Path.Combine(Path.GetTempPath(), "dl-reuse-" + Guid.NewGuid().ToString("N")[..8]);

    public SavedModelReuseTests() => Directory.CreateDirectory(folder);

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private static LabOutcome RunLab(LabConfig config, List<LabEvent>? events = null, int imageSize = 48)
        => new LabRunner(new LabEnvironment(Path.GetTempPath())).Run(config, TinyData.Lab(size: imageSize), CPU, e => events?.Add(e), default);

    [Fact]
    public void AReusedScratchStudentIsTestedNotTrainedAndTheDistilledStudentComesOutTheSame()
    {
        string teacherPath = Path.Combine(folder, "teacher.ckpt"), scratchPath = Path.Combine(folder, "scratch.ckpt");
        LabResult first;
        using (var trained = RunLab(TinyConfig))
        {
            ModelCheckpoint.Save(trained.Teacher, trained.Teacher.Spec, teacherPath, trained.TeacherTrainedOn);
            ModelCheckpoint.Save(trained.StudentScratch, trained.StudentScratch.Spec, scratchPath, trained.ScratchTrainedOn);
            first = trained.Result;
        }

        var events = new List<LabEvent>();
        using var retune = RunLab(TinyConfig with { TeacherPath = teacherPath, ScratchPath = scratchPath }, events);

        Assert.Equal([ModelRole.StudentDistilled], events.OfType<PhaseStarted>().Select(e => e.Model));
        Assert.True(retune.Result.StudentScratch.Reused);
        Assert.Empty(retune.Result.StudentScratch.History);
        Assert.Equal((first.StudentScratch.TestAccuracy, first.StudentScratch.TestLoss),
            (retune.Result.StudentScratch.TestAccuracy, retune.Result.StudentScratch.TestLoss));
        // Same teacher, same seed: the distilled student learns exactly as it did beside the trained models.
        Assert.Equal(first.StudentDistilled.History.Select(m => m with { Seconds = 0, ImagesPerSecond = 0 }),
            retune.Result.StudentDistilled.History.Select(m => m with { Seconds = 0, ImagesPerSecond = 0 }));
        Assert.False(retune.Result.StudentDistilled.Reused);
    }

    [Fact]
    public void ASavedScratchOfTheWrongKindSizeOrClassesIsRefusedWithAMessageNamingScratchPath()
    {
        string teacherPath = Path.Combine(folder, "teacher.ckpt"), smallStudent = Path.Combine(folder, "student-48.ckpt"),
            threeClasses = Path.Combine(folder, "student-3.ckpt");
        using (var teacher = new TeacherNet(new ModelSpec(ModelKind.Teacher, 64))) ModelCheckpoint.Save(teacher, teacher.Spec, teacherPath, trainedOn: null);
        using (var student = new StudentNet(new ModelSpec(ModelKind.Student, 48))) ModelCheckpoint.Save(student, student.Spec, smallStudent, trainedOn: null);
        using (var student = new StudentNet(new ModelSpec(ModelKind.Student, 64, Classes: 3))) ModelCheckpoint.Save(student, student.Spec, threeClasses, trainedOn: null);

        string Refusal(string path)
        {
            var error = Assert.Throws<InvalidLabConfigException>(() => RunLab(TinyConfig with { ScratchPath = path }, imageSize: 64));
            var problem = Assert.Single(error.Errors);
            Assert.Equal("scratchPath", problem.Field);
            return problem.Message;
        }

        Assert.Contains("holds a teacher, not a student", Refusal(teacherPath));
        Assert.Contains("built for 48 px images, but this run uses 64 px", Refusal(smallStudent));
        Assert.Contains("built for 3 classes, but 'tiny' has 2", Refusal(threeClasses));
        Assert.Contains("does not exist", Refusal(Path.Combine(folder, "missing.ckpt")));
    }
}
