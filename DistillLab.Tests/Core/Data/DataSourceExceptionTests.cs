using DistillLab.Core.Data;
using static DistillLab.Tests.Support.LoaderTestKit;
using DistillLab.Tests.Support;

namespace DistillLab.Tests.Core.Data;

public class DataSourceExceptionTests
{
    private static string Fails(TempFolder temp, string source)
        => Assert.Throws<DataSourceException>(() => Load(source, temp.Environment())).Message;

    [Fact]
    public void UnknownSourceKindNamesTheAllowedKinds()
    {
        using var temp = new TempFolder();
        string message = Fails(temp, "imagenet");
        Assert.Contains("Unknown data source kind 'imagenet'", message);
        Assert.Contains("synthetic, folder:<path>, idx:<dir>, petimages", message);
    }

    [Fact]
    public void MissingFolderIsRefused()
    {
        using var temp = new TempFolder();
        Assert.Contains("does not exist", Fails(temp, $"folder:{temp.Path}/missing"));
    }

    [Fact]
    public void FolderWithOneClassIsRefused()
    {
        using var temp = new TempFolder();
        temp.Write("d/Cat/1.png", Valued(1));
        Assert.Contains("has only 1 class sub-folder ('Cat')", Fails(temp, $"folder:{temp.Path}/d"));
    }

    [Fact]
    public void FolderWithAnEmptyClassIsRefused()
    {
        using var temp = new TempFolder();
        temp.Write("d/Cat/1.png", Valued(1));
        temp.Sub("d/Dog");
        string message = Fails(temp, $"folder:{temp.Path}/d");
        Assert.Contains("Dog' is empty", message);
    }

    [Fact]
    public void FolderWithNoClassesIsRefused()
    {
        using var temp = new TempFolder();
        temp.Write("d/readme.txt", "x"u8.ToArray());
        Assert.Contains("no class sub-folders and no files named <class>.<id>.jpg", Fails(temp, $"folder:{temp.Path}/d"));
    }

    [Fact]
    public void KaggleLayoutWithOneClassIsRefused()
    {
        using var temp = new TempFolder();
        temp.Write("d/cat.1.jpg", Valued(1));
        Assert.Contains("only has files of class 'cat'", Fails(temp, $"folder:{temp.Path}/d"));
    }

    [Fact]
    public void TooFewUsableImagesIsRefusedWithTheSkips()
    {
        using var temp = new TempFolder();
        for (int i = 0; i < 3; i++) temp.Write($"d/{(i % 2 == 0 ? "a" : "b")}/{i}.png", Valued(1));
        temp.Write("d/a/bad.jpg", []);
        string message = Fails(temp, $"folder:{temp.Path}/d");
        Assert.Contains("only 3 usable images (skipped: 1 empty)", message);
        Assert.Contains($"at least {DataLoader.MinimumPool}", message);
    }

    [Fact]
    public void PetimagesFolderWithoutTheReleaseIsRefused()
    {
        using var temp = new TempFolder();
        temp.Sub("d/PetImages/Cat");
        Assert.Contains("does not hold PetImages/Cat and PetImages/Dog", Fails(temp, $"petimages:{temp.Path}/d"));
    }
}
