namespace DistillLab.Core;

/// <summary>Writes a file all or nothing: into a temporary file beside it, flushed to disk, then renamed over it.</summary>
/// <remarks>A run killed mid-write leaves at most a stray temporary file, never a half file under the real name that a
/// later run would trust; a writer that throws leaves the previous file as it was.</remarks>
public static class AtomicFile
{
    public static void Write(string path, Action<Stream> write)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var temp = Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }
}
