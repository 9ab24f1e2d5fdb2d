namespace DistillLab.Core.Data;

/// <summary>Data preparation progress (decoding, caching): <paramref name="Done"/> of <paramref name="Total"/> items.</summary>
public sealed record DataProgress(string Stage, int Done, int Total) : LabEvent;
