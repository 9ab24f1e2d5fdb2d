using System.Text;
using System.Text.Json;
using DistillLab.Core.Data.Synthetic;
using DistillLab.Core.Experiments;
using DistillLab.Core.Models;
using DistillLab.Web.Runs;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using DistillLab.Core.Training;
using DistillLab.Tests.Support;

namespace DistillLab.Tests.Web.Runs;

/// <summary>The dashboard's reuse goes through the same check as `lab --teacher` (Core's SavedModelCheck).</summary>
[Collection(DashboardCollection.Name)]
public sealed class ReuseProvenanceTests
{
    [Fact]
    public async Task ARetuneWhoseTeacherWasTrainedOnFilesThatChangedSinceFailsWithTheRunnersMessage()
    {
        using var host = new DashboardHost();
        var data = host.CreateImageFolder();
        using var http = host.Http();
        var first = await host.WaitForAsync(http, await host.SubmitAsync(http, DashboardHost.TinyRun(data)), r => !r.IsActive);
        Assert.True(first.Status == RunStatus.Completed, first.Error);

        // One picture redrawn: the reuse key (settings only) still matches, the recorded fingerprint does not.
        using (var image = new Image<Rgb24>(40, 40, new Rgb24(1, 2, 3)))
            image.SaveAsPng(Path.Combine(data["folder:".Length..], "cat", "000.png"));
        var retune = await host.WaitForAsync(http, await host.SubmitAsync(http, DashboardHost.TinyRun(data, alpha: 0.3)), r => !r.IsActive);

        Assert.Equal(RunStatus.Failed, retune.Status);
        Assert.Equal(first.Id, retune.TeacherReusedFrom);
        Assert.Contains($"teacherPath '{Path.Combine(host.DataDirectory, "runs", first.Id, "teacher.pt")}' was not trained on this run's training split", retune.Error);
        Assert.Contains($"it was trained on '{data}' when its files were different", retune.Error);
    }

    [Fact]
    public async Task AModelSavedBeforeCheckpointsRecordedTheirDataIsNotOfferedForReuseSoTheRunTrainsItsOwn()
    {
        await using var ctx = new ComponentTestContext();
        var config = new LabConfig();
        var started = DateTimeOffset.UtcNow.AddMinutes(-10);
        var empty = new ModelView { Parameters = 1000, TestAccuracy = 0.9, TestLoss = 0.3 };
        var run = new RunDetails("earlier", RunStatus.Completed, config, true, started)
        {
            StartedAt = started, FinishedAt = started.AddSeconds(400), ImageSize = 64, Device = "cpu",
            Teacher = empty, StudentScratch = empty, StudentDistilled = empty, TotalSeconds = 380,
        };
        ctx.Store.Insert(run, RunRequests.TeacherKey(config), RunRequests.ScratchKey(config));
        ctx.Store.Update(run);
        Directory.CreateDirectory(ctx.Artifacts.RunDirectory(run.Id));

        // The teacher as the previous version wrote it (the spec alone in the header); the scratch student as this one does.
        using (var teacher = new TeacherNet(new ModelSpec(ModelKind.Teacher, 64)))
        using (var writer = new BinaryWriter(File.Create(ctx.Artifacts.ModelPath(run.Id, ModelRole.Teacher)), Encoding.UTF8))
        {
            writer.Write("DLCKPT1\n"u8);
            writer.Write(JsonSerializer.Serialize(teacher.Spec));
            teacher.save(writer);
        }
        using (var scratch = new StudentNet(new ModelSpec(ModelKind.Student, 64)))
            ModelCheckpoint.Save(scratch, scratch.Spec, ctx.Artifacts.ModelPath(run.Id, ModelRole.StudentScratch),
                new TrainingProvenance("synthetic", null, null, SyntheticCatsDogs.DefaultCount, 42, SyntheticCatsDogs.SplitRule, 64, null));

        var (planned, sources) = new ModelReuse(ctx.Store, ctx.Artifacts).Plan(config);

        Assert.Equal([(ModelRole.StudentScratch, run.Id)], sources);
        Assert.Null(planned.TeacherPath);
        Assert.Equal(ctx.Artifacts.ModelPath(run.Id, ModelRole.StudentScratch), planned.ScratchPath);
    }
}
