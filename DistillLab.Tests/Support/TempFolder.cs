namespace DistillLab.Tests.Support;

/// <summary>A folder under the system temp folder, deleted with everything in it when the test ends.</summary>
public sealed class TempFolder : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("distilllab-test-").FullName;

    /// <summary>A path inside the folder; nothing is created there.</summary>
    public string PathOf(string relativePath) => System.IO.Path.Combine(Path, relativePath);

    /// <summary>Writes a file inside the folder (with the folders above it) and returns its path.</summary>
    public string Write(string relativePath, byte[] bytes)
    {
        string full = PathOf(relativePath);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        File.WriteAllBytes(full, bytes);
        return full;
    }

    /// <summary>Creates a folder inside the folder and returns its path.</summary>
    public string Sub(string relativePath)
    {
        string full = PathOf(relativePath);
        Directory.CreateDirectory(full);
        return full;
    }

    public DistillLab.Core.Data.LabEnvironment Environment(IReadOnlyList<string>? roots = null)
        => new(PathOf("labdata"), roots);

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); }
        catch (IOException) { }
    }
}
