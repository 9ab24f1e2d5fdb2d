namespace DistillLab.Core.Data;

/// <summary>The three splits of a data source, ready for training, and what was left out.</summary>
/// <param name="Source">The source spec as the user wrote it, e.g. "synthetic" or "folder:/data/PetImages".</param>
/// <param name="Classes">Class names; a label is an index into this list.</param>
/// <param name="Skipped">Files that could not be used, counted by reason (e.g. "truncated": 3).</param>
/// <remarks><see cref="Fingerprint"/> and <see cref="Split"/> say which images these are, so that a model trained on
/// them can be recognised by a later run (<see cref="Models.TrainingProvenance"/>).</remarks>
public sealed record LabData(
    string Source,
    IReadOnlyList<string> Classes,
    ImageSet Train,
    ImageSet Validation,
    ImageSet Test,
    IReadOnlyDictionary<string, int> Skipped)
{
    /// <summary>The source's fingerprint (hex SHA-256 of its file listing); null for sources without files (synthetic).</summary>
    public string? Fingerprint { get; init; }

    /// <summary>How the splits were made: <see cref="PoolSplit.Rule"/> unless the source brings its own test set
    /// or is the synthetic set (<see cref="Synthetic.SyntheticCatsDogs.SplitRule"/>).</summary>
    public string Split { get; init; } = PoolSplit.Rule;

    public int Channels => Train.Channels;
    public int ImageSize => Train.ImageSize;
}
