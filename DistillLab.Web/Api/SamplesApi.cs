using DistillLab.Core.Data.Synthetic;
using DistillLab.Core.Inference;

namespace DistillLab.Web.Api;

/// <summary>GET /api/datasets/synthetic/samples/{index}.png: a few pictures of the built-in set, so the Lab page can
/// show what the data looks like (drawn pictures, not photos) before any run.</summary>
public static class SamplesApi
{
    public const int Count = 8;
    private const int ImageSize = 64;

    // Drawn once per process: a few milliseconds of work, the same bytes every time (the generator is deterministic per seed).
    private static readonly Lazy<byte[][]> Pictures = new(() =>
    {
        var images = SyntheticCatsDogs.Generate(Count, ImageSize, seed: 42);
        return Enumerable.Range(0, Count).Select(i => ImageDecoder.ToPng(images.Image(i), ImageSize)).ToArray();
    });

    /// <summary>Sample <paramref name="index"/>'s class: the generator alternates cat, dog, cat, ...</summary>
    public static string Label(int index) => SyntheticCatsDogs.Classes[index % 2];

    public static RouteGroupBuilder MapSyntheticSamplesApi(this RouteGroupBuilder api)
    {
        api.MapGet("/datasets/synthetic/samples/{index:int}.png", (int index) => index is >= 0 and < Count
            ? Results.File(Pictures.Value[index], "image/png")
            : Results.Problem(statusCode: 404, title: "No such sample", detail: $"index must be between 0 and {Count - 1}."));
        return api;
    }
}
