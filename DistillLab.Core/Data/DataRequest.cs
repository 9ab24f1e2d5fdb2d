
namespace DistillLab.Core.Data;

/// <summary>What to load: a source spec (see <see cref="DataSourceSpec"/>), the square image size,
/// an optional cap on the pool, the split seed and where the run may read and write.</summary>
/// <param name="Limit">Keep only the first N usable images of the pool, in the source's own order,
/// before the seeded shuffle and split. A source's own test set (idx t10k) is never capped.</param>
/// <param name="Resize">How photos are resized; null takes the source's default (<see cref="ResizeMethods.DefaultFor"/>).</param>
/// <param name="TfdsSplit">Split as the reference lab's TFDS does (<see cref="Data.TfdsSplit"/>; petimages, whole set) instead
/// of the seeded shuffle.</param>
public sealed record DataRequest(string Source, int ImageSize, int? Limit, int Seed, LabEnvironment Environment, ResizeMethod? Resize = null,
    bool TfdsSplit = false);
