using DistillLab.Core;
using DistillLab.Web.Settings;
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
        var files = names.Select(name => (Name: name, Path: LocalPath(owner, name))).Where(f => File.Exists(f.Path))
            .Select(f => (f.Name, File.ReadAllBytes(f.Path))).ToList();
        if (files.Count > 0) journal.Write(s => s.SaveFiles(owner, files));
    }

    /// <summary>True when the file is in the local folder, fetched from the database first where it is kept there;
    /// false when neither has it.</summary>
    public bool Fetch(string owner, string name)
    {
        string path = LocalPath(owner, name);
        if (File.Exists(path)) return true;
        if (!InDatabase || store.LoadFile(owner, name) is not { } bytes) return false;
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
        if (InDatabase) store.DeleteFiles(owner);
    }
}

/// <summary>A file a run or study needs is gone: said with where it was looked for.</summary>
public sealed class StoredFileMissingException(string path, string? database) : FileNotFoundException(
    database is null
        ? $"'{path}' does not exist (the run or study that wrote it was deleted, or the data folder was cleared)."
        : $"'{Path.GetFileName(path)}' of '{Path.GetDirectoryName(path)}' is neither in the data folder nor in the run history database ({database}): the run or study that wrote it was deleted, or never finished uploading it.",
    path);
