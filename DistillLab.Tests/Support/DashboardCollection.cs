namespace DistillLab.Tests.Support;

/// <summary>Dashboard tests train with libtorch; they run one at a time, apart from the Core torch tests.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class DashboardCollection
{
    public const string Name = "dashboard";
}
