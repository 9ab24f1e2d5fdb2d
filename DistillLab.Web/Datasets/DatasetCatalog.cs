using DistillLab.Core.Data.Synthetic;
using DistillLab.Core.Download;
using DistillLab.Web.Settings;
using Microsoft.Extensions.Options;

namespace DistillLab.Web.Datasets;

/// <summary>A data source the dashboard can offer, with its size where it can be known without decoding.</summary>
public sealed record DatasetInfo(string Source, string Description, int? Images, IReadOnlyList<string>? Classes);

/// <summary>Lists the built-in synthetic set and the class folders found directly inside the data roots.</summary>
public sealed class DatasetCatalog(IOptions<DataOptions> data)
{
    private static readonly string[] ImageExtensions = [".jpg", ".jpeg", ".png"];

    public IReadOnlyList<DatasetInfo> List()
    {
        var list = new List<DatasetInfo>
        {
            new("synthetic", "Built-in synthetic cats and dogs (procedurally drawn, not photos)", SyntheticCatsDogs.DefaultCount, SyntheticCatsDogs.Classes),
        };
        var petImages = data.Value.Environment.PetImagesDirectory;
        list.Add(CatsDogsDataset.IsPresent(petImages)
            ? new DatasetInfo("petimages", "Microsoft's Kaggle Cats and Dogs (photos, downloaded)",
                CountImages(Path.Combine(CatsDogsDataset.PetImagesPath(petImages), "Cat")) + CountImages(Path.Combine(CatsDogsDataset.PetImagesPath(petImages), "Dog")), ["cat", "dog"])
            : new DatasetInfo("petimages", "Microsoft's Kaggle Cats and Dogs (photos; downloaded on first use, about 790 MB)", null, ["cat", "dog"]));
        var seen = new HashSet<string>();
        foreach (var root in data.Value.FullRoots.Where(Directory.Exists))
            foreach (var folder in Directory.EnumerateDirectories(root).Append(root).Order())
            {
                if (!seen.Add(folder)) continue;
                var classes = Directory.EnumerateDirectories(folder).Where(HasImages).Select(Path.GetFileName).OfType<string>().Order().ToList();
                if (classes.Count < 2) continue;
                int count = classes.Sum(c => CountImages(Path.Combine(folder, c)));
                list.Add(new DatasetInfo("folder:" + Relative(folder), $"Image folder {Relative(folder)}", count, classes));
            }
        return list;
    }

    private static bool HasImages(string folder) => Directory.EnumerateFiles(folder).Any(IsImage);
    private static int CountImages(string folder) => Directory.EnumerateFiles(folder).Count(IsImage);
    private static bool IsImage(string file) => ImageExtensions.Contains(Path.GetExtension(file).ToLowerInvariant());
    private static string Relative(string path)
    {
        var relative = Path.GetRelativePath(Directory.GetCurrentDirectory(), path);
        return relative.StartsWith("..", StringComparison.Ordinal) ? path : relative;
    }
}
