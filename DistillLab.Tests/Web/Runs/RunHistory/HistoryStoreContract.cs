using System.Text.Json;
using DistillLab.Core.Experiments;
using DistillLab.Core.Inference;
using DistillLab.Core.Studies;
using DistillLab.Core.Training;
using DistillLab.Tests.Support;
using DistillLab.Web.Hosting;
using DistillLab.Web.Runs;
using DistillLab.Web.Studies;
using Microsoft.Extensions.Logging.Abstractions;

namespace DistillLab.Tests.Web.Runs.RunHistory;

/// <summary>What the run and study stores do, whichever database is behind them: each database's test class runs
/// these same round trips (SqliteStoreTests, PostgresStoreTests).</summary>
public abstract class HistoryStoreContract
{
    /// <summary>A store over a new, empty database.</summary>
    protected abstract RunStore NewStore();

    private static readonly DateTimeOffset At = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void ARunItsEpochsResultsAndLabelsComeBackAsStored()
    {
        var store = NewStore();
        var data = new DataSummary("synthetic", ["cat", "dog"], 80, 10, 10, new Dictionary<string, int> { ["corrupt"] = 2 });
        var run = CompareRuns.Run("first", new LabConfig { Alpha = 0.2, Temperature = 3 }, (0.9, 0.7, 0.8), name: "baseline")
            with { Notes = "two\nlines ünïcode", Data = data, TeacherReusedFrom = null };
        CompareRuns.Save(store, run);

        Assert.Equal(Json(run), Json(store.Load("first")));
        Assert.Equal(Json(run with { Teacher = run.Teacher with { History = [] }, StudentScratch = run.StudentScratch with { History = [] },
            StudentDistilled = run.StudentDistilled with { History = [] } }), Json(Assert.Single(store.List())));

        // An epoch stored again (a retried write) replaces the first, never a second row.
        var again = run.Teacher.History[1] with { TrainAccuracy = 0.99 };
        store.AddEpoch("first", ModelRole.Teacher, again);
        Assert.Equal(0.99, store.Load("first")!.Teacher.History[1].TrainAccuracy);
        Assert.Equal(3, store.Load("first")!.Teacher.History.Count);

        Assert.True(store.SetLabel("first", "renamed", null));
        Assert.Equal(("renamed", (string?)null), (store.Load("first")!.Name, store.Load("first")!.Notes));
        Assert.False(store.SetLabel("missing", "x", null));
        Assert.Null(store.Load("missing"));
    }

    [Fact]
    public void CompletedRunsComeNewestFinishedFirstWithTheirEpochsAndReuseFindsTheirModels()
    {
        var store = NewStore();
        var older = CompareRuns.Save(store, CompareRuns.Run("older", new LabConfig(), (0.9, 0.7, 0.8)));
        var newer = CompareRuns.Run("newer", new LabConfig(), (0.9, 0.7, 0.8)) with { FinishedAt = At.AddHours(2), CreatedAt = At.AddHours(1) };
        store.Insert(newer, "teacher-a", "scratch-a");
        store.Update(newer);
        store.AddEpoch("newer", ModelRole.StudentDistilled, newer.StudentDistilled.History[0]);
        var failed = CompareRuns.Run("failed", new LabConfig(), (0, 0, 0)) with { Status = RunStatus.Failed, Error = "boom", CreatedAt = At.AddHours(3) };
        store.Insert(failed, "teacher-a");
        store.Update(failed);
        var queued = new RunDetails("queued", RunStatus.Queued, new LabConfig(), true, At.AddHours(4));
        store.Insert(queued, "teacher-a");

        Assert.Equal(["queued", "failed", "newer", "older"], store.List().Select(r => r.Id));
        var completed = store.Completed();
        Assert.Equal(["newer", "older"], completed.Select(r => r.Id));
        Assert.Equal((0, 0, 1), (completed[0].Teacher.History.Count, completed[0].StudentScratch.History.Count, completed[0].StudentDistilled.History.Count));
        Assert.Equal(Json(older), Json(completed[1]));

        Assert.Equal(["newer"], store.FindSources(ModelRole.Teacher, "teacher-a"));
        Assert.Equal(["newer"], store.FindSources(ModelRole.StudentScratch, "scratch-a"));
        Assert.Empty(store.FindSources(ModelRole.StudentScratch, "key"));

        Assert.Equal(1, store.MarkInterrupted());
        Assert.Equal(RunStatus.Interrupted, store.Load("queued")!.Status);
    }

    [Fact]
    public void PredictionsAreReplacedAsAWholeAndDeletingARunRemovesItsEpochsAndPredictions()
    {
        var store = NewStore();
        CompareRuns.Save(store, CompareRuns.Run("run", new LabConfig(), (0.9, 0.7, 0.8)));
        store.SavePredictions("run", [1, 0, 1], [new(1, 0.9), new(0, 0.8), new(1, 0.51)], [new(0, 0.6), new(0, 0.55), new(1, 0.5)],
            [new(1, 0.7), new(0, 0.65), new(0, 0.52)]);
        store.SavePredictions("run", [1, 0], [new(1, 0.9), new(0, 0.8)], [new(0, 0.6), new(0, 0.55)], [new(1, 0.7), new(0, 0.65)]);

        var predictions = store.LoadPredictions("run");
        Assert.Equal([0, 1], predictions.Select(p => p.Index));
        Assert.Equal(new StoredPrediction(1, 0, new Prediction(0, 0.8), new Prediction(0, 0.55), new Prediction(0, 0.65)), predictions[1]);

        Assert.True(store.Delete("run"));
        Assert.False(store.Delete("run"));
        Assert.Null(store.Load("run"));
        Assert.Empty(store.LoadPredictions("run"));
        // Stored again under the same id: none of the deleted run's epochs come back with it.
        store.Insert(CompareRuns.Run("run", new LabConfig(), (0.9, 0.7, 0.8)), "key");
        Assert.Empty(store.Load("run")!.Teacher.History);
    }

    [Fact]
    public void AStudyItsEntriesAndItsKeptTeachersComeBackAsStored()
    {
        var runs = NewStore();
        using var journal = new RunJournal(runs, NullLogger<RunJournal>.Instance);
        var store = new StudyStore(runs, journal);
        var config = new StudyConfig();
        var study = new StudyDetails("study-1", StudyStatus.Queued, config, At);
        store.Insert(study);
        store.Insert(new StudyDetails("study-2", StudyStatus.Queued, config, At.AddMinutes(5)));
        var teacher = new StudyTeacher(43, 0.9, false, null, CompareRuns.History(0.6, 2));
        store.AddTeacher("study-1", teacher, "model-key");
        store.AddTeacher("study-1", new StudyTeacher(42, 0.8, true, "run-7", []), null);
        store.AddBaseline("study-1", new BaselineResult(42, 0.6, 0.61, CompareRuns.History(0.5, 2)));
        var trial = new TrialResult(0.5, 2, false, 42, TrialStatus.Completed, 2, 0.66, CompareRuns.History(0.55, 2, distilled: true));
        store.AddTrial("study-1", trial with { ValAccuracy = 0.1 });
        store.AddTrial("study-1", trial); // a retried write replaces the entry
        store.AddTrial("study-1", new TrialResult(0.9, 5, true, 42, TrialStatus.Pruned, 1, 0.5, []));
        var best = new BestSetting(0.5, 2, false, new ConfirmedOnTest([0.7], [0.6], 0.1, [0.05, 0.15], 0.01), "better");
        var finished = study with { Status = StudyStatus.Completed, StartedAt = At.AddSeconds(1), FinishedAt = At.AddMinutes(3), Best = best, TotalSeconds = 179 };
        store.Update(finished);

        var loaded = store.Load("study-1")!;
        Assert.Equal(Json(finished with
        {
            Teachers = [new StudyTeacher(42, 0.8, true, "run-7", []), teacher],
            Baseline = [new BaselineResult(42, 0.6, 0.61, CompareRuns.History(0.5, 2))],
            Trials = [trial, new TrialResult(0.9, 5, true, 42, TrialStatus.Pruned, 1, 0.5, [])], // finishing order
        }), Json(loaded));
        Assert.Equal(["study-2", "study-1"], store.List().Select(s => s.Id));
        Assert.Equal(["study-2"], store.Unfinished());
        Assert.Equal([("study-1", 43)], store.FindTeachers("model-key"));
        Assert.Equal(Json(teacher), Json(store.Teacher("study-1", 43)));
        Assert.Null(store.Teacher("study-1", 44));
        Assert.Null(store.Load("study-3"));
    }

    private static string Json<T>(T value) => JsonSerializer.Serialize(value, JsonDefaults.Options);
}

/// <summary>The round trips on SQLite (Jobs:Engine embedded): a distilllab.db in a temporary data folder.</summary>
public sealed class SqliteStoreTests : HistoryStoreContract, IDisposable
{
    private readonly TempFolder folder = new();

    protected override RunStore NewStore()
    {
        string data = folder.Sub(Guid.NewGuid().ToString("N"));
        return new RunStore(Microsoft.Extensions.Options.Options.Create(new DistillLab.Web.Settings.DataOptions { Directory = data, Roots = [data] }));
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        folder.Dispose();
    }
}
