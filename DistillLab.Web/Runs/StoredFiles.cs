using DistillLab.Core;
using DistillLab.Web.Runs.RunHistory;
using DistillLab.Web.Settings;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace DistillLab.Web.Runs;

/// <summary>The files of runs (data/runs/&lt;id&gt;/) and studies (data/studies/&lt;id&gt;/) where every machine can get
/// them. With Jobs:Engine postgres they are uploaded to the database when written (through RunJournal, in order with
/// the history: a run is never seen completed before its models are there) and the data folder is a cache, filled on
/// demand before anything reads a file. Embedded mode keeps them in the data folder alone: every call is then a plain
/// look at the folder.</summary>
public sealed class StoredFiles(RunStore store, RunJournal journal, IOptions<DataOptions> data)
{
    /// <summary>The owner of a run's files, as the database names it (the folder under the data folder).</summary>
    public static string RunOwner(string runId) => $"runs/{runId}";

    public static string StudyOwner(string studyId) => $"studies/{studyId}";

    public bool InDatabase => store.KeepsFiles;

    public string LocalPath(string owner, string name) => Path.Combine(data.Value.FullDirectory, owner, name);

    /// <summary>Uploads the named files of the owner's local folder (read now; those that do not exist are left out).</summary>
    /// <exception cref="RunStorageException">The database refuses writes for good.</exception>
    public void Upload(string owner, IEnumerable<string> names)
    {
        if (!InDatabase) return;
        var files = ReadLocal(owner, names);
        if (files.Count > 0) journal.Write(_ => Save(owner, files));
    }

    /// <summary>As <see cref="Upload"/>, but stored before it returns, outside the journal's order: for a job whose next
    /// step on another machine needs the files (a study teacher's logits). Throws when the database cannot be reached.</summary>
    public void UploadNow(string owner, IEnumerable<string> names)
    {
        if (!InDatabase) return;
        var files = ReadLocal(owner, names);
        if (files.Count > 0) Save(owner, files);
    }

    /// <summary>Removes the owner's files whose names start with <paramref name="prefix"/> from the database.</summary>
    public void DeleteNamed(string owner, string prefix)
    {
        if (InDatabase) store.Use(db => Blobs(db).Where(b => b.Owner == owner && b.Name.StartsWith(prefix)).ExecuteDelete());
    }

    /// <summary>True when the file is in the local folder, fetched from the database first where it is kept there;
    /// false when neither has it.</summary>
    public bool Fetch(string owner, string name)
    {
        string path = LocalPath(owner, name);
        if (File.Exists(path)) return true;
        if (!InDatabase || Load(owner, name) is not { } bytes) return false;
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        // Whole or not at all: a reader beside us, or a crash, never sees half a model.
        AtomicFile.Write(path, stream => stream.Write(bytes));
        return true;
    }

    /// <summary>The local path of a file that must exist, fetched first where needed.</summary>
    /// <exception cref="StoredFileMissingException">Neither the data folder nor the database has it.</exception>
    public string Require(string owner, string name) => Fetch(owner, name) ? LocalPath(owner, name)
        : throw new StoredFileMissingException(LocalPath(owner, name), InDatabase ? store.DatabasePath : null);

    /// <summary>Removes the owner's files from the database (the caller removes the local folder).</summary>
    public void Delete(string owner)
    {
        if (InDatabase) store.Use(db => Blobs(db).Where(b => b.Owner == owner).ExecuteDelete());
    }

    /// <summary>The named files of the owner's local folder that exist, read now.</summary>
    private List<(string Name, byte[] Bytes)> ReadLocal(string owner, IEnumerable<string> names) =>
        names.Select(name => (Name: name, Path: LocalPath(owner, name))).Where(f => File.Exists(f.Path))
            .Select(f => (f.Name, File.ReadAllBytes(f.Path))).ToList();

    private void Save(string owner, IReadOnlyList<(string Name, byte[] Bytes)> files) => store.Use(db =>
    {
        using var transaction = db.Database.BeginTransaction();
        Replace(Blobs(db), owner, files);
        db.SaveChanges();
        transaction.Commit();
    });

    /// <summary>Adds files of the owner to <paramref name="blobs"/>, deleting any of the same name first (a retried write
    /// stays one row); the caller saves, inside its own transaction.</summary>
    internal static void Replace(DbSet<BlobRow> blobs, string owner, IReadOnlyList<(string Name, byte[] Bytes)> files)
    {
        var names = files.Select(f => f.Name).ToList();
        blobs.Where(b => b.Owner == owner && names.Contains(b.Name)).ExecuteDelete();
        var now = DateTimeOffset.UtcNow;
        blobs.AddRange(files.Select(f => new BlobRow { Owner = owner, Name = f.Name, Bytes = f.Bytes, Created = now }));
    }

    private byte[]? Load(string owner, string name) =>
        store.Use(db => Blobs(db).Where(b => b.Owner == owner && b.Name == name).Select(b => b.Bytes).SingleOrDefault());

    private DbSet<BlobRow> Blobs(RunHistoryDb db) => db is PostgresRunHistoryDb postgres ? postgres.Blobs
        : throw new InvalidOperationException($"The run history at {store.DatabasePath} keeps no files: they stay in the data folder (Jobs:Engine embedded).");
}

/// <summary>A file a run or study needs is gone: said with where it was looked for.</summary>
public sealed class StoredFileMissingException(string path, string? database) : FileNotFoundException(
    database is null
        ? $"'{path}' does not exist (the run or study that wrote it was deleted, or the data folder was cleared)."
        : $"'{Path.GetFileName(path)}' of '{Path.GetDirectoryName(path)}' is neither in the data folder nor in the run history database ({database}): the run or study that wrote it was deleted, or never finished uploading it.",
    path);
