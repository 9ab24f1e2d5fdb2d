using DistillLab.Core;
using DistillLab.Core.Data;
using DistillLab.Core.Experiments;
using static DistillLab.Tests.Support.LoaderTestKit;
using DistillLab.Tests.Support;

namespace DistillLab.Tests.Core.Data;

/// <summary>A data root is a boundary: no symbolic link, of the source folder, of a folder above a file, or of a file,
/// takes a dashboard source outside it, and the refusal never says where the link points.</summary>
public class SymlinkEscapeTests
{
    [Fact]
    public void AFolderLinkOutOfTheRootsIsRefusedWithoutNamingItsTarget()
    {
        using var temp = new TempFolder();
        string root = temp.Sub("allowed");
        string outside = temp.Sub("secret-place");
        Directory.CreateSymbolicLink(Path.Combine(root, "outlink"), outside);
        Assert.False(DataSourceSpec.TryParse($"folder:{root}/outlink", temp.Environment([root]), out _, out var error));
        Assert.Contains("outside the allowed data folders", error);
        Assert.DoesNotContain("secret-place", error);
    }

    [Fact]
    public void ALinkBackIntoTheRootsIsAllowedAndTheSourceReadsTheResolvedFolder()
    {
        using var temp = new TempFolder();
        string root = temp.Sub("allowed");
        string real = temp.Sub("allowed/photos");
        Directory.CreateSymbolicLink(Path.Combine(root, "shortcut"), real);
        Assert.True(DataSourceSpec.TryParse($"folder:{root}/shortcut", temp.Environment([root]), out var spec, out var error), error);
        Assert.Equal(real, spec.Path);
    }

    [Fact]
    public void DotDotAfterALinkGoesUpFromWhereTheLinkLedNotFromWhereItSits()
    {
        using var temp = new TempFolder();
        string root = temp.Sub("allowed");
        temp.Sub("outside/deep");
        temp.Sub("outside/x");
        temp.Sub("allowed/x"); // what a lexical collapse of "inner/../x" would wrongly check
        Directory.CreateSymbolicLink(Path.Combine(root, "inner"), Path.Combine(temp.Path, "outside", "deep"));
        Directory.CreateSymbolicLink(Path.Combine(root, "trick"), "inner/../x");
        Assert.False(DataSourceSpec.TryParse($"folder:{root}/trick", temp.Environment([root]), out _, out var error));
        Assert.Contains("outside the allowed data folders", error);
    }

    [Fact]
    public void ALinkCycleIsRefusedRatherThanFollowedForever()
    {
        using var temp = new TempFolder();
        string root = temp.Sub("allowed");
        Directory.CreateSymbolicLink(Path.Combine(root, "a"), Path.Combine(root, "b"));
        Directory.CreateSymbolicLink(Path.Combine(root, "b"), Path.Combine(root, "a"));
        Assert.False(DataSourceSpec.TryParse($"folder:{root}/a", temp.Environment([root]), out _, out var error));
        Assert.Contains("outside the allowed data folders", error);
    }

    [Fact]
    public void AFileLinkedFromOutsideRefusesTheWholeSourceNamingTheFile()
    {
        using var temp = new TempFolder();
        string root = temp.Sub("allowed");
        for (int i = 0; i < 6; i++)
        {
            temp.Write($"allowed/pets/cat/{i}.png", Valued(10));
            temp.Write($"allowed/pets/dog/{i}.png", Valued(200));
        }
        string secret = temp.Write("outside/secret.png", Valued(99));
        File.CreateSymbolicLink(Path.Combine(root, "pets", "dog", "z.png"), secret);
        var error = Assert.Throws<DataSourceException>(() => Load($"folder:{root}/pets", temp.Environment([root])));
        Assert.Contains("'dog/z.png', a link that leads outside the allowed data folders", error.Message);
        Assert.DoesNotContain("secret", error.Message);
    }

    [Fact]
    public void AClassFolderLinkedFromOutsideIsRefusedToo()
    {
        using var temp = new TempFolder();
        string root = temp.Sub("allowed");
        for (int i = 0; i < 6; i++)
        {
            temp.Write($"allowed/pets/cat/{i}.png", Valued(10));
            temp.Write($"outside/dogs/{i}.png", Valued(200));
        }
        Directory.CreateSymbolicLink(Path.Combine(root, "pets", "dog"), Path.Combine(temp.Path, "outside", "dogs"));
        var error = Assert.Throws<DataSourceException>(() => Load($"folder:{root}/pets", temp.Environment([root])));
        Assert.Contains("a link that leads outside the allowed data folders", error.Message);
    }

    [Fact]
    public void WithoutDataRootsTheCommandLineFollowsLinksAsBefore()
    {
        using var temp = new TempFolder();
        for (int i = 0; i < 6; i++)
        {
            temp.Write($"real/cat/{i}.png", Valued(10));
            temp.Write($"real/dog/{i}.png", Valued(200));
        }
        Directory.CreateSymbolicLink(Path.Combine(temp.Path, "linked"), Path.Combine(temp.Path, "real"));
        var (data, _) = Load($"folder:{temp.Path}/linked", temp.Environment());
        Assert.Equal(12, data.Train.Count + data.Validation.Count + data.Test.Count);
    }

    [Fact]
    public void ErrorMessagesQuoteAtMostAShortPrefixOfTheInput()
    {
        string huge = new('x', 5_000_000);
        Assert.False(DataSourceSpec.TryParse("zip:" + huge, out _, out var error));
        Assert.True(error.Length < 500, $"{error.Length} characters");
        Assert.Contains("5,000,004 characters", error);
        var deviceError = new LabConfig { Device = huge }.Validate().Single();
        Assert.True(deviceError.Message.Length < 300, $"{deviceError.Message.Length} characters");
        Assert.Equal("a?b", Quote.Short("a\nb"));
    }
}
