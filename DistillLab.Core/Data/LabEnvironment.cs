namespace DistillLab.Core.Data;

/// <summary>Where a run may read and write.</summary>
/// <param name="DataDirectory">DistillLab's own data folder: decode cache in cache/, downloaded Cats vs Dogs in cats_vs_dogs/.</param>
/// <param name="DataRoots">Folders that folder:/idx:/petimages: sources may point into; null allows any path (command line).</param>
public sealed record LabEnvironment(string DataDirectory, IReadOnlyList<string>? DataRoots = null)
{
    public string CacheDirectory => Path.Combine(DataDirectory, "cache");
    public string PetImagesDirectory => Path.Combine(DataDirectory, "cats_vs_dogs");
}
