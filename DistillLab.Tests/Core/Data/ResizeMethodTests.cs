using DistillLab.Core.Data;
using DistillLab.Core.Experiments;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using DistillLab.Tests.Support;

namespace DistillLab.Tests.Core.Data;

/// <summary>The lab's resize is tf.image.resize's default (bilinear, half-pixel centres, no antialiasing); the expected
/// values below were worked out by hand from TensorFlow's formula, in = (out + 0.5) * inSize / outSize - 0.5.</summary>
public class ResizeMethodTests
{
    [Fact]
    public void SourceIndicesAndWeightsFollowTensorFlowsHalfPixelFormula()
    {
        // 4 -> 2: in = 0.5 and 2.5, each halfway between two pixels.
        Assert.Equal([(0, 1, 0.5f), (2, 3, 0.5f)], TensorFlowResize.Weights(4, 2));
        // 2 -> 3: in = -1/6 (clamped to pixel 0), 0.5, 7/6 (clamped to pixel 1).
        var up = TensorFlowResize.Weights(2, 3);
        Assert.Equal((0, 0), (up[0].Lower, up[0].Upper));
        Assert.Equal((0, 1, 0.5f), up[1]);
        Assert.Equal((1, 1), (up[2].Lower, up[2].Upper));
        Assert.Equal(1 / 6f, up[2].Weight, 5);
    }

    [Fact]
    public void ShrinkingAGradientGivesTensorFlowsValuesNotAnAntialiasedAverage()
    {
        // Red = 10x + 40y on a 4x4 picture; halving samples at x, y = 0.5 and 2.5.
        using var image = new Image<Rgb24>(4, 4);
        for (int y = 0; y < 4; y++)
            for (int x = 0; x < 4; x++)
                image[x, y] = new Rgb24((byte)(10 * x + 40 * y), 0, 200);
        var lab = Decode(image, 2, ResizeMethod.Lab);
        Assert.Equal([25, 45, 105, 125], lab[..4]);
        Assert.All(lab[8..12], b => Assert.Equal(200, b));
        var smooth = Decode(image, 2, ResizeMethod.Smooth);
        Assert.NotEqual(lab[..4], smooth[..4]);
    }

    [Fact]
    public void EnlargingClampsAtTheEdgesAsTensorFlowDoes()
    {
        using var image = new Image<Rgb24>(2, 2);
        image[0, 0] = image[0, 1] = new Rgb24(0, 0, 0);
        image[1, 0] = image[1, 1] = new Rgb24(90, 0, 0);
        var lab = Decode(image, 3, ResizeMethod.Lab);
        // in = -1/6 -> pixel 0 alone; 0.5 -> halfway; 7/6 -> pixels 1 and min(2, 1) = 1, so pixel 1 alone.
        Assert.Equal([0, 45, 90], lab[..3]);
    }

    private static byte[] Decode(Image<Rgb24> image, int size, ResizeMethod method)
    {
        using var png = new MemoryStream();
        image.SaveAsPng(png);
        var chw = new byte[3 * size * size];
        Assert.Null(ImageFileDecoder.TryDecode(png.ToArray(), size, chw, method));
        return chw;
    }

    [Theory]
    [InlineData("petimages", null, ResizeMethod.Lab)]
    [InlineData("petimages:/data/cats", null, ResizeMethod.Lab)]
    [InlineData("folder:/data/pets", null, ResizeMethod.Smooth)]
    [InlineData("idx:/data/mnist", null, ResizeMethod.Smooth)]
    [InlineData("petimages", "smooth", ResizeMethod.Smooth)]
    [InlineData("folder:/data/pets", "LAB", ResizeMethod.Lab)]
    public void PetImagesDefaultsToTheLabsResizeAndEveryRunCanChoose(string data, string? resize, ResizeMethod expected)
    {
        var config = new LabConfig { Data = data, Resize = resize };
        Assert.Empty(config.Validate());
        Assert.Equal(expected, config.EffectiveResize());
    }

    [Fact]
    public void AnUnknownResizeIsRefusedNamingTheAllowedMethods()
    {
        var error = Assert.Single(new LabConfig { Resize = "bicubic" }.Validate());
        Assert.Equal("resize", error.Field);
        Assert.Contains("lab (tf.image.resize", error.Message);
        Assert.Contains("got 'bicubic'", error.Message);
    }

    [Fact]
    public void TheDecodeCacheKeepsEachResizeMethodApart()
    {
        using var temp = new TempFolder();
        for (int i = 0; i < 6; i++)
        {
            temp.Write($"pets/cat/{i}.png", TestImages.Png(20, 20, new Rgb24(200, (byte)(i * 30), 10)));
            temp.Write($"pets/dog/{i}.png", TestImages.Png(20, 20, new Rgb24(10, (byte)(i * 30), 200)));
        }
        var environment = temp.Environment();
        LabData Load(ResizeMethod method) => DataLoader.Load(
            new DataRequest($"folder:{temp.Path}/pets", 8, null, 1, environment, method), null, CancellationToken.None);
        Load(ResizeMethod.Smooth);
        Load(ResizeMethod.Lab);
        var caches = Directory.GetFiles(environment.CacheDirectory, "*.dlcache");
        Assert.Equal(2, caches.Length);
        Assert.Single(caches, c => c.EndsWith("-lab.dlcache", StringComparison.Ordinal));
    }
}
