using System.Text.Json;
using DistillLab.Core.Experiments;
using DistillLab.Core.Insight;
using DistillLab.Web.Hosting;
using DistillLab.Web.Runs;
using DistillLab.Web.Settings;
using Microsoft.Extensions.Options;

using DistillLab.Tests.Support;

namespace DistillLab.Tests.Web.Runs;

/// <summary>A run's insight rides in the runs table's results JSON (no schema change); its test logits in a file of
/// the run's folder.</summary>
public sealed class InsightStorageTests : IDisposable
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), "distilllab-insight-" + Guid.NewGuid().ToString("N")[..8]);

    private static readonly TestLogits Logits = new(["cat", "dog"], [0, 1, 1],
        Teacher: [[2f, -1f], [0.5f, 0.25f], [-3f, 4f]],
        StudentScratch: [[1f, 0f], [1f, -1f], [0f, 0.1f]],
        StudentDistilled: [[0.1f, 1e-30f], [-0.75f, 0.75f], [-3.4e38f, 3.4e38f]]);

    private RunStore Store() => new(Options.Create(new DataOptions { Directory = folder }));

    [Fact]
    public void InsightStoredWithARunReadsBackTheSame()
    {
        var store = Store();
        var run = RunDetails.Queued("r1", new LabConfig(), reuse: false, name: null, notes: null);
        store.Insert(run, teacherKey: "k");
        var insight = RunInsight.Of(Logits);
        store.Update(run with { Status = RunStatus.Completed, Insight = insight });

        var loaded = Store().Load("r1")!;
        Assert.Equal(Json(insight), Json(loaded.Insight));
        Assert.Equal(2.0 / 3, loaded.Insight!.StudentScratch.Accuracy, 12);
        Assert.Equal(["cat", "dog"], loaded.Insight.Teacher.Confusion.Classes);
    }

    [Fact]
    public void ARunStoredWithoutInsightLoadsWithNone()
    {
        var store = Store();
        var run = RunDetails.Queued("old", new LabConfig(), reuse: false, name: null, notes: null);
        store.Insert(run, teacherKey: "k");
        store.Update(run with { Status = RunStatus.Completed, Teacher = run.Teacher with { TestAccuracy = 0.9 } });

        var loaded = store.Load("old")!;
        Assert.Null(loaded.Insight);
        Assert.Equal(0.9, loaded.Teacher.TestAccuracy);
        Assert.Null(store.List().Single().Insight);
    }

    [Fact]
    public void StoredLogitsReadBackBitForBitAndAMissingFileIsNone()
    {
        var path = Path.Combine(folder, "runs", "r1", StoredLogits.FileName);
        StoredLogits.Write(path, Logits);
        var read = StoredLogits.Read(path)!;
        Assert.Equal(Logits.Classes, read.Classes);
        Assert.Equal(Logits.Labels, read.Labels);
        foreach (var (expected, actual) in new[] { (Logits.Teacher, read.Teacher), (Logits.StudentScratch, read.StudentScratch), (Logits.StudentDistilled, read.StudentDistilled) })
            Assert.Equal(expected.SelectMany(r => r).Select(BitConverter.SingleToInt32Bits), actual.SelectMany(r => r).Select(BitConverter.SingleToInt32Bits));
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(path)!, "*.tmp"));

        Assert.Null(StoredLogits.Read(Path.Combine(folder, "runs", "never", StoredLogits.FileName)));
    }

    private static string Json(RunInsight? insight) => JsonSerializer.Serialize(insight, JsonDefaults.Options);

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
    }
}
