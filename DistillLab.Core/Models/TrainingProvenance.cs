namespace DistillLab.Core.Models;

/// <summary>What a saved model was trained on, stored in its checkpoint so a run that reuses it can tell whether the
/// model saw this run's test images (see <see cref="Experiments.SavedModelCheck"/>).</summary>
/// <param name="Source">The data source as written, e.g. "synthetic" or "folder:/data/PetImages".</param>
/// <param name="Fingerprint">SHA-256 (hex) of the source's file listing: every file's path, length and last-write time
/// (<see cref="Data.SourceFingerprint"/>); null for the synthetic set, which is drawn from the seed and has no files.</param>
/// <param name="Limit">The run's --limit, as given (null: none).</param>
/// <param name="Images">Images in the train, validation and test splits together: the pool the limit left.</param>
/// <param name="Seed">The run's seed, which shuffles a pool before the split and draws the synthetic pictures.</param>
/// <param name="Split">The split rule: <see cref="Data.PoolSplit.Rule"/>, the synthetic set's
/// <see cref="Data.Synthetic.SyntheticCatsDogs.SplitRule"/> (its own shares), or the idx source's fixed t10k test set.</param>
/// <param name="ImageSize">Square input size in pixels.</param>
/// <param name="Resize">How photos were resized ("lab" or "smooth"); null for the synthetic set, drawn at its size.</param>
public sealed record TrainingProvenance(
    string Source,
    string? Fingerprint,
    int? Limit,
    int Images,
    int Seed,
    string Split,
    int ImageSize,
    string? Resize);
