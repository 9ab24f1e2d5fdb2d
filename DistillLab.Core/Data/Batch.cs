namespace DistillLab.Core.Data;

/// <summary>One batch, ready to become tensors: pixels as float in [0, 1], NCHW, and labels as int64.</summary>
/// <param name="Pixels">Count * Channels * ImageSize * ImageSize values, already divided by 255.</param>
/// <remarks>Plain arrays, no TorchSharp types, so the data pipeline stays usable and testable without libtorch.
/// Each batch owns fresh arrays: a consumer may keep them (or tensors built over them) as long as it likes.</remarks>
public sealed record Batch(float[] Pixels, long[] Labels, int Count, int Channels, int ImageSize);
