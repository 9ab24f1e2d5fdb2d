namespace DistillLab.Core.Download;

/// <summary>One download or extraction per data folder at a time, across threads and processes (the dashboard and the
/// command line may both try): an exclusively opened lock file that disappears when released.</summary>
internal sealed class FolderLock : IDisposable
{
    public const string FileName = ".download.lock";
    private readonly FileStream stream;

    private FolderLock(FileStream stream) => this.stream = stream;

    public static FolderLock Acquire(string folder)
    {
        Directory.CreateDirectory(folder);
        string path = Path.Combine(folder, FileName);
        try
        {
            return new FolderLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None,
                bufferSize: 1, FileOptions.DeleteOnClose));
        }
        catch (IOException e)
        {
            throw new InvalidOperationException(
                $"Another download or extraction is using '{Path.GetFullPath(folder)}'; wait for it to finish.", e);
        }
    }

    public void Dispose() => stream.Dispose();
}
