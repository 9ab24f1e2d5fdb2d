namespace DistillLab.Core.Download;

/// <summary>Free space on the volume holding a folder; injectable so tests can simulate a short disk.</summary>
public interface IDiskSpace
{
    /// <summary>Bytes available to this user on the volume that holds <paramref name="folder"/> (which may not exist yet).</summary>
    long AvailableBytes(string folder);
}

/// <summary>The real free space, from the file system.</summary>
public sealed class DriveDiskSpace : IDiskSpace
{
    public static DriveDiskSpace Instance { get; } = new();

    public long AvailableBytes(string folder)
    {
        // DriveInfo needs an existing path; the target folder may not be created yet.
        var dir = new DirectoryInfo(Path.GetFullPath(folder));
        while (dir is not null && !dir.Exists) dir = dir.Parent;
        var path = dir?.FullName ?? Path.GetPathRoot(Path.GetFullPath(folder))!;
        return new DriveInfo(path).AvailableFreeSpace;
    }
}

/// <summary>Thrown before any work when the disk cannot hold what a step will write.</summary>
public sealed class InsufficientDiskSpaceException(string message, long neededBytes, long availableBytes)
    : IOException(message)
{
    public long NeededBytes { get; } = neededBytes;
    public long AvailableBytes { get; } = availableBytes;

    internal static void ThrowIfShort(IDiskSpace disk, string folder, long needed, string what)
    {
        long available = disk.AvailableBytes(folder);
        if (available < needed)
            throw new InsufficientDiskSpaceException(
                $"Not enough free disk space in '{folder}': {what} needs {Mb(needed)}, only {Mb(available)} is free. " +
                "Free some space or choose another folder.", needed, available);
    }

    internal static string Mb(long bytes) => $"{bytes / (1024.0 * 1024.0):N0} MB";
}
