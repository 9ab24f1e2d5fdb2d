using DistillLab.Web.Jobs;

namespace DistillLab.Tests.Web.Jobs;

public sealed class WorkerStatusTests
{
    [Theory]
    [InlineData("worker-a:4242:0f8fad5b-d9cb-469f-a165-70867728950e", "worker-a")]
    // The default name is host:pid, and Hangfire adds its own pid and guid.
    [InlineData("gpu-box:1234:1234:0f8fad5b-d9cb-469f-a165-70867728950e", "gpu-box:1234")]
    public void AWorkerIsNamedAsJobsWorkerNameWithoutHangfiresProcessIdAndGuid(string serverId, string name) =>
        Assert.Equal(name, WorkerStatus.NameOf(serverId));
}
