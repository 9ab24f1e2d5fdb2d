using DistillLab.Core;

namespace DistillLab.Tests.Core;

public sealed class AtomicFileTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("dl-atomic-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public void WritesTheFileAndLeavesNoTemporaryFileBehind()
    {
        var path = Path.Combine(folder, "sub", "out.bin");
        AtomicFile.Write(path, s => s.Write([1, 2, 3]));
        Assert.Equal([1, 2, 3], File.ReadAllBytes(path));
        Assert.Equal([path], Directory.GetFiles(Path.GetDirectoryName(path)!));
    }

    [Fact]
    public void AWriterThatFailsLeavesThePreviousFileIntactAndNoTemporaryFile()
    {
        var path = Path.Combine(folder, "out.bin");
        File.WriteAllBytes(path, [9, 9]);
        Assert.Throws<IOException>(() => AtomicFile.Write(path, s =>
        {
            s.Write([1, 2, 3]);
            throw new IOException("disk full");
        }));
        Assert.Equal([9, 9], File.ReadAllBytes(path));
        Assert.Equal([path], Directory.GetFiles(folder));
    }
}
