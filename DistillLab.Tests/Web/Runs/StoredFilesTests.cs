using DistillLab.Tests.Support;
using DistillLab.Web.Runs;
using DistillLab.Web.Runs.RunHistory;
using DistillLab.Web.Settings;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace DistillLab.Tests.Web.Runs;

/// <summary>With Jobs:Engine postgres a run's and a study's files live in the database and the data folder is a cache:
/// a machine without the folder gets the same bytes; a file neither has is a clear error.</summary>
[Collection(PostgresCollection.Name), Trait("Category", "Postgres")]
public sealed class StoredFilesTests(PostgresServer server) : IDisposable
{
    private readonly TempFolder folder = new();

    private (StoredFiles Files, RunJournal Journal) Open(string dataFolder, string? connectionString)
    {
        var data = Options.Create(new DataOptions { Directory = dataFolder, Roots = [dataFolder] });
        var store = connectionString is null ? new RunStore(data) : new RunStore(new PostgresHistory(connectionString, NullLogger.Instance));
        var journal = new RunJournal(store, NullLogger<RunJournal>.Instance);
        return (new StoredFiles(store, journal, data), journal);
    }

    [Fact]
    public void AFolderUploadedByOneMachineIsFetchedWithTheSameBytesByAnother()
    {
        string database = server.CreateDatabase("files");
        var (worker, workerJournal) = Open(folder.Sub("worker"), database);
        using var _ = workerJournal;
        var model = new byte[3_000_000];
        new Random(7).NextBytes(model);
        folder.Write("worker/runs/run-1/teacher.pt", model);
        folder.Write("worker/runs/run-1/test-logits.json", "{\"classes\":[\"cat\",\"dog\"]}"u8.ToArray());
        worker.Upload(StoredFiles.RunOwner("run-1"), ["teacher.pt", "test-logits.json", "never-written.pt"]);

        var (dashboard, dashboardJournal) = Open(folder.Sub("dashboard"), database);
        using var __ = dashboardJournal;
        Assert.True(dashboard.InDatabase);
        string local = dashboard.Require("runs/run-1", "teacher.pt");
        Assert.Equal(folder.PathOf("dashboard/runs/run-1/teacher.pt"), local);
        Assert.Equal(model, File.ReadAllBytes(local));
        Assert.True(dashboard.Fetch("runs/run-1", "test-logits.json"));
        Assert.False(dashboard.Fetch("runs/run-1", "never-written.pt"));

        // The local copy is a cache: gone, it comes back from the database.
        Directory.Delete(folder.PathOf("dashboard/runs"), recursive: true);
        Assert.Equal(model, File.ReadAllBytes(dashboard.Require("runs/run-1", "teacher.pt")));

        // Uploading again replaces the stored file.
        folder.Write("worker/runs/run-1/teacher.pt", [1, 2, 3]);
        worker.Upload("runs/run-1", ["teacher.pt"]);
        File.Delete(local);
        Assert.Equal([1, 2, 3], File.ReadAllBytes(dashboard.Require("runs/run-1", "teacher.pt")));
    }

    [Fact]
    public void AFileNeitherTheFolderNorTheDatabaseHasIsNamedWithWhereItWasLookedFor()
    {
        string database = server.CreateDatabase("missing");
        var (files, journal) = Open(folder.Sub("data"), database);
        using var _ = journal;
        folder.Write("data/studies/study-1/best-seed42.ckpt", [9]);
        files.Upload("studies/study-1", ["best-seed42.ckpt"]);
        files.Delete("studies/study-1");
        File.Delete(folder.PathOf("data/studies/study-1/best-seed42.ckpt"));

        var error = Assert.Throws<StoredFileMissingException>(() => files.Require("studies/study-1", "best-seed42.ckpt"));
        Assert.Contains("'best-seed42.ckpt'", error.Message);
        Assert.Contains(Path.Combine(folder.Path, "data", "studies", "study-1"), error.Message);
        Assert.Contains($"PostgreSQL 127.0.0.1:{server.Port}/missing_", error.Message);
    }

    [Fact]
    public void EmbeddedModeKeepsFilesInTheDataFolderAlone()
    {
        var (files, journal) = Open(folder.Sub("embedded"), connectionString: null);
        using var _ = journal;
        Assert.False(files.InDatabase);
        folder.Write("embedded/runs/run-1/teacher.pt", [1]);
        files.Upload("runs/run-1", ["teacher.pt"]); // nothing to do: SQLite keeps no files
        Assert.True(files.Fetch("runs/run-1", "teacher.pt"));
        File.Delete(folder.PathOf("embedded/runs/run-1/teacher.pt"));
        Assert.False(files.Fetch("runs/run-1", "teacher.pt"));
        var error = Assert.Throws<StoredFileMissingException>(() => files.Require("runs/run-1", "teacher.pt"));
        Assert.Contains("does not exist", error.Message);
    }

    public void Dispose() => folder.Dispose();
}
