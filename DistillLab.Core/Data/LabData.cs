namespace DistillLab.Core.Data;

/// <summary>The three splits of a data source, ready for training, and what was left out.</summary>
/// <param name="Source">The source spec as the user wrote it, e.g. "synthetic" or "folder:/data/PetImages".</param>
/// <param name="Classes">Class names; a label is an index into this list.</param>
/// <param name="Skipped">Files that could not be used, counted by reason (e.g. "truncated": 3).</param>
public sealed record LabData(
    string Source,
    IReadOnlyList<string> Classes,
    ImageSet Train,
    ImageSet Validation,
    ImageSet Test,
    IReadOnlyDictionary<string, int> Skipped)
{
    public int Channels => Train.Channels;
    public int ImageSize => Train.ImageSize;
}
