using DistillLab.Core.Data;
using DistillLab.Core.Experiments;
using DistillLab.Tests.Support;

namespace DistillLab.Tests.Core.Data;

public class DataSourceSpecTests
{
    [Theory]
    [InlineData("synthetic", DataSourceKind.Synthetic, false)]
    [InlineData("folder:/data/PetImages", DataSourceKind.Folder, true)]
    [InlineData("idx:/data/mnist", DataSourceKind.Idx, true)]
    [InlineData("petimages", DataSourceKind.PetImages, false)]
    [InlineData("petimages:/data/cats", DataSourceKind.PetImages, true)]
    public void EveryAllowedKindParses(string text, DataSourceKind kind, bool hasPath)
    {
        Assert.True(DataSourceSpec.TryParse(text, out var spec, out var error), error);
        Assert.Equal(kind, spec.Kind);
        Assert.Equal(hasPath, spec.Path is not null);
        if (hasPath) Assert.True(Path.IsPathFullyQualified(spec.Path!));
    }

    [Theory]
    [InlineData("zip:/data/x", "Unknown data source kind 'zip'")]
    [InlineData("", "The data source is empty")]
    [InlineData("folder:", "needs a path after the colon")]
    [InlineData("idx", "needs a path after the colon")]
    [InlineData("synthetic:/x", "takes no path")]
    public void BadSourceTextIsRefusedNamingWhatIsAllowed(string text, string expected)
    {
        Assert.False(DataSourceSpec.TryParse(text, out _, out var error));
        Assert.Contains(expected, error);
        Assert.Contains(DataSourceSpec.Allowed, error);
    }

    [Fact]
    public void PathsOutsideTheDataRootsAreRefusedIncludingDotDotTricks()
    {
        using var temp = new TempFolder();
        string root = temp.Sub("allowed");
        var environment = temp.Environment([root]);
        Assert.True(DataSourceSpec.TryParse($"folder:{root}/cats", environment, out _, out _));
        Assert.True(DataSourceSpec.TryParse($"idx:{root}", environment, out _, out _));
        foreach (string outside in new[] { $"folder:{root}/../elsewhere", $"folder:{root}-evil/x", "petimages:/etc", $"idx:{temp.Path}" })
        {
            Assert.False(DataSourceSpec.TryParse(outside, environment, out _, out var error), outside);
            Assert.Contains("outside the allowed data folders", error);
        }
        Assert.True(DataSourceSpec.TryParse($"folder:{root}/../elsewhere", out _, out _)); // no roots: any path
    }

    [Fact]
    public void LoadingAPathOutsideTheRootsThrowsTheSameMessage()
    {
        using var temp = new TempFolder();
        var environment = temp.Environment([temp.Sub("allowed")]);
        var error = Assert.Throws<DataSourceException>(() =>
            DataLoader.Load(new DataRequest($"folder:{temp.Path}", 8, null, 1, environment), null, CancellationToken.None));
        Assert.Contains("outside the allowed data folders", error.Message);
    }
}
