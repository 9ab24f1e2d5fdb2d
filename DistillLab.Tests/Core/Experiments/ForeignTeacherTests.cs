using System.Text;
using System.Text.Json;
using DistillLab.Core.Experiments;
using DistillLab.Core.Models;
using SixLabors.ImageSharp.PixelFormats;
using DistillLab.Core.Training;
using DistillLab.Core.Data;
using DistillLab.Core;
using DistillLab.Tests.Support;

namespace DistillLab.Tests.Core.Experiments;

/// <summary>Item 11: a saved teacher or scratch student trained on another split of the data (seed, limit, source, resize)
/// has seen this run's test images; it is refused with a message naming each difference unless AllowForeignTeacher.</summary>
[Collection(TorchCollection.Name)]
public sealed class ForeignTeacherTests : IDisposable
{
    private readonly TempFolder temp = new();
    private readonly LabEnvironment environment;
    private readonly string images;

    private static readonly LabConfig Quick = new()
    {
        ImageSize = 46, TeacherEpochs = 1, StudentEpochs = 1, BatchSize = 8, Seed = 42, Device = "cpu",
    };

    public ForeignTeacherTests()
    {
        environment = new LabEnvironment(Path.Combine(temp.Path, "data"));
        images = WriteFolder("images", perClass: 20);
    }

    public void Dispose() => temp.Dispose();

    /// <summary>Two classes of small PNGs, a dark and a bright shade with noise-free per-image colour steps.</summary>
    private string WriteFolder(string name, int perClass)
    {
        foreach (var (cls, shade) in new[] { ("cat", 40), ("dog", 200) })
            for (int i = 0; i < perClass; i++)
                temp.Write($"{name}/{cls}/{i:D3}.png", TestImages.Png(12, 12, new Rgb24((byte)(shade + i), (byte)(i * 5), (byte)shade)));
        return "folder:" + Path.Combine(temp.Path, name);
    }

    private LabOutcome Run(LabConfig config, List<LabEvent>? events = null) =>
        new LabRunner(environment).Run(config, e => events?.Add(e), CancellationToken.None);

    /// <summary>Trains the lab with <paramref name="config"/> and saves its teacher and scratch student as `lab` does.</summary>
    private (string Teacher, string Scratch) TrainAndSave(LabConfig config, string name)
    {
        using var outcome = Run(config);
        string teacher = Path.Combine(temp.Path, name + "-teacher.ckpt"), scratch = Path.Combine(temp.Path, name + "-scratch.ckpt");
        ModelCheckpoint.Save(outcome.Teacher, outcome.Teacher.Spec, teacher, outcome.TeacherTrainedOn);
        ModelCheckpoint.Save(outcome.StudentScratch, outcome.StudentScratch.Spec, scratch, outcome.ScratchTrainedOn);
        return (teacher, scratch);
    }

    private ConfigError Refusal(LabConfig config, List<LabEvent>? events = null)
    {
        var error = Assert.Throws<InvalidLabConfigException>(() => Run(config, events));
        return Assert.Single(error.Errors);
    }

    [Fact]
    public void ATeacherTrainedWithSeed7IsRefusedForASeed42RunBeforeTheDataLoadsWithAMessageNamingTheSeed()
    {
        var (teacher, scratch) = TrainAndSave(Quick with { Data = images, Seed = 7 }, "seed7");

        var events = new List<LabEvent>();
        var problem = Refusal(Quick with { Data = images, TeacherPath = teacher, TeacherEpochs = 0 }, events);

        Assert.Equal("teacherPath", problem.Field);
        Assert.Contains("trained with seed 7, this run uses seed 42", problem.Message);
        Assert.Contains("its training images include this run's test images", problem.Message);
        Assert.Contains("--allow-foreign-teacher", problem.Message);
        Assert.Empty(events); // refused before a single image was read

        var scratchProblem = Refusal(Quick with { Data = images, ScratchPath = scratch });
        Assert.Equal("scratchPath", scratchProblem.Field);
        Assert.Contains("trained with seed 7, this run uses seed 42", scratchProblem.Message);

        // The same seed is this run's own split: accepted.
        using var same = Run(Quick with { Data = images, Seed = 7, TeacherPath = teacher, TeacherEpochs = 0 });
        Assert.True(same.Result.Teacher.Reused);
        Assert.Null(same.Result.ForeignModels);
    }

    [Fact]
    public void ATeacherTrainedOnAnotherLimitIsRefusedAfterLoadingAndBeforeAnyTraining()
    {
        var (teacher, _) = TrainAndSave(Quick with { Data = images, Limit = 30 }, "limit30");

        var events = new List<LabEvent>();
        var problem = Refusal(Quick with { Data = images, TeacherPath = teacher }, events);

        Assert.Contains("trained on a pool of 30 images (--limit 30), this run's pool has 40 (no --limit)", problem.Message);
        Assert.Contains("include this run's test images", problem.Message);
        Assert.Contains(events, e => e is DataProgress);
        Assert.DoesNotContain(events, e => e is PhaseStarted or DataLoaded);

        // The same limit is this run's own split; a limit above the folder's 40 images leaves the pool of no limit.
        using (var same = Run(Quick with { Data = images, Limit = 30, TeacherPath = teacher, TeacherEpochs = 0 }))
            Assert.True(same.Result.Teacher.Reused);
        var (all, _) = TrainAndSave(Quick with { Data = images }, "all");
        using var above = Run(Quick with { Data = images, Limit = 100, TeacherPath = all, TeacherEpochs = 0 });
        Assert.True(above.Result.Teacher.Reused);
    }

    [Fact]
    public void ATeacherTrainedOnAnotherSourceOrOnFilesThatChangedSinceIsRefusedNamingTheSource()
    {
        var (teacher, _) = TrainAndSave(Quick with { Data = images }, "source");
        var other = WriteFolder("other", perClass: 25);

        var problem = Refusal(Quick with { Data = other, TeacherPath = teacher });
        Assert.Contains($"trained on '{images}' (fingerprint ", problem.Message);
        Assert.Contains($"this run uses '{other}' (fingerprint ", problem.Message);
        Assert.Contains("may include this run's test images", problem.Message);

        Assert.Contains($"trained on '{images}', this run uses 'synthetic'", Refusal(Quick with { Data = "synthetic", Limit = 40, TeacherPath = teacher }).Message);

        // The same photos resized another way are other inputs (the split is the same, so no leak is claimed).
        var resized = Refusal(Quick with { Data = images, Resize = "lab", TeacherPath = teacher });
        Assert.Contains("trained on pictures resized with 'smooth', this run resizes with 'lab'", resized.Message);
        Assert.Contains("none of this run's test images is among its training images", resized.Message);

        // One picture redrawn in place: same folder, other files.
        temp.Write("images/cat/000.png", TestImages.Png(12, 12, new Rgb24(1, 2, 3)));
        Assert.Contains($"trained on '{images}' when its files were different", Refusal(Quick with { Data = images, TeacherPath = teacher }).Message);
    }

    [Fact]
    public void AllowForeignTeacherLetsItThroughAndTheResultAndReportSaySo()
    {
        var (teacher, _) = TrainAndSave(Quick with { Data = images, Seed = 7 }, "allowed");

        using var outcome = Run(Quick with { Data = images, TeacherPath = teacher, TeacherEpochs = 0, AllowForeignTeacher = true });

        var foreign = Assert.Single(outcome.Result.ForeignModels!);
        Assert.Equal(ModelRole.Teacher, foreign.Model);
        Assert.Equal(teacher, foreign.Path);
        Assert.Equal(["it was trained with seed 7, this run uses seed 42"], foreign.Differences);
        Assert.Contains("include this run's test images", foreign.Consequence);
        // Saved again, the teacher keeps its own record: a foreign teacher never becomes this run's.
        Assert.Equal(7, outcome.TeacherTrainedOn!.Seed);
        Assert.Equal(42, outcome.ScratchTrainedOn!.Seed);

        using var report = JsonDocument.Parse(LabReport.From(outcome.Result).ToJson());
        Assert.True(report.RootElement.GetProperty("config").GetProperty("allowForeignTeacher").GetBoolean());
        var part = Assert.Single(report.RootElement.GetProperty("foreignModels").EnumerateArray());
        Assert.Equal("teacher", part.GetProperty("model").GetString());
        Assert.Contains("seed 7", part.GetProperty("differences")[0].GetString());
    }

    [Fact]
    public void ACheckpointFromThePreviousVersionLoadsButIsRefusedAsUnrecordedUnlessAllowed()
    {
        // Written byte for byte as the previous version did: magic, the ModelSpec alone as JSON, the weights.
        var old = Path.Combine(temp.Path, "old-teacher.ckpt");
        using (var model = new TeacherNet(new ModelSpec(ModelKind.Teacher, 46)))
        using (var writer = new BinaryWriter(File.Create(old), Encoding.UTF8))
        {
            writer.Write("DLCKPT1\n"u8);
            writer.Write(JsonSerializer.Serialize(model.Spec));
            model.save(writer);
        }
        var (spec, trainedOn) = ModelCheckpoint.ReadHeader(old);
        Assert.Equal(new ModelSpec(ModelKind.Teacher, 46), spec);
        Assert.Null(trainedOn);

        var events = new List<LabEvent>();
        var problem = Refusal(Quick with { Data = images, TeacherPath = old }, events);
        Assert.Contains("was saved by an older DistillLab that did not record what it was trained on", problem.Message);
        Assert.Contains("may include this run's test images", problem.Message);
        Assert.Empty(events);

        using var outcome = Run(Quick with { Data = images, TeacherPath = old, AllowForeignTeacher = true });
        Assert.Contains("did not record", Assert.Single(outcome.Result.ForeignModels!).Differences[0]);
        Assert.Null(outcome.TeacherTrainedOn); // saved again, it still says nothing, and is refused again
    }

    [Fact]
    public void OnTheBuiltInSetAnotherSeedDrawsOtherPicturesAndSaysSoInsteadOfALeak()
    {
        var synthetic = Quick with { Data = "synthetic", Limit = 40 };
        var (teacher, _) = TrainAndSave(synthetic with { Seed = 7 }, "synthetic");

        var problem = Refusal(synthetic with { TeacherPath = teacher });

        Assert.Contains("trained with seed 7, this run uses seed 42", problem.Message);
        Assert.Contains("none of this run's test images is among its training images, but it is not the teacher this run would train", problem.Message);
        Assert.DoesNotContain("include", problem.Message);

        // Another seed and another limit: still other pictures, so still no leak (allowed, to see every difference).
        using (var both = Run(synthetic with { Limit = 60, TeacherPath = teacher, TeacherEpochs = 0, AllowForeignTeacher = true }))
        {
            var foreign = Assert.Single(both.Result.ForeignModels!);
            Assert.Equal(["it was trained with seed 7, this run uses seed 42",
                          "it was trained on a pool of 40 images (--limit 40), this run's pool has 60 (--limit 60)"], foreign.Differences);
            Assert.DoesNotContain("include", foreign.Consequence);
        }

        // The same seed with a longer pool draws the same first 40 pictures and splits them anew: a leak.
        var (seed42, _) = TrainAndSave(synthetic, "synthetic42");
        Assert.Contains("its training images include this run's test images", Refusal(synthetic with { Limit = 60, TeacherPath = seed42 }).Message);
    }

    [Fact]
    public void AnIdxTeacherFitsAnySeedBecauseTheIdxTestSetIsTheT10kFile()
    {
        temp.Write("mnist/train-images-idx3-ubyte", TestImages.IdxImages(40, 4, 4, i => (byte)(6 * i)));
        temp.Write("mnist/train-labels-idx1-ubyte", TestImages.IdxLabels(40, i => (byte)(i % 2)));
        temp.Write("mnist/t10k-images-idx3-ubyte", TestImages.IdxImages(10, 4, 4, i => (byte)(20 * i)));
        temp.Write("mnist/t10k-labels-idx1-ubyte", TestImages.IdxLabels(10, i => (byte)(i % 2)));
        var idx = Quick with { Data = "idx:" + Path.Combine(temp.Path, "mnist") };
        var (teacher, _) = TrainAndSave(idx with { Seed = 7 }, "idx");

        using var outcome = Run(idx with { TeacherPath = teacher, TeacherEpochs = 0 });

        Assert.True(outcome.Result.Teacher.Reused);
        Assert.Null(outcome.Result.ForeignModels);
        Assert.NotNull(outcome.TrainedOn.Fingerprint);
    }
}
