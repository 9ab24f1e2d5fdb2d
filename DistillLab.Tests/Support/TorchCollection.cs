namespace DistillLab.Tests.Support;

/// <summary>Tests that count live tensors or depend on libtorch's global seed run alone, never beside another torch test.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TorchCollection
{
    public const string Name = "torch";
}
