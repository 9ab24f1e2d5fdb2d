using DistillLab.Web.Jobs;
using Hangfire.Common;

namespace DistillLab.Tests.Web.Jobs;

public sealed class WorkerStatusTests
{
    [Theory]
    [InlineData("worker-a:4242:0f8fad5b-d9cb-469f-a165-70867728950e", "worker-a")]
    // The default name is host:pid, and Hangfire adds its own pid and guid.
    [InlineData("gpu-box:1234:1234:0f8fad5b-d9cb-469f-a165-70867728950e", "gpu-box:1234")]
    public void AWorkerIsNamedAsJobsWorkerNameWithoutHangfiresProcessIdAndGuid(string serverId, string name) =>
        Assert.Equal(name, WorkerStatus.NameOf(serverId));

    [Fact]
    public void AJobIsDescribedAsItsRunOrItsStudyAndThePartOfIt()
    {
        Assert.Equal("run-1", WorkerStatus.Describe(Job.FromExpression<RunJob>(j => j.Train("run-1", null!, CancellationToken.None)), "17"));
        Assert.Equal("study-1: teacher of seed 42", WorkerStatus.Describe(Job.FromExpression<StudyJob>(j => j.Teacher("study-1", 42, null!, CancellationToken.None)), "18"));
        Assert.Equal("study-1: baseline of seed 43", WorkerStatus.Describe(Job.FromExpression<StudyJob>(j => j.Baseline("study-1", 43, null!, CancellationToken.None)), "19"));
        Assert.Equal("study-1: trial α=0.5, T=5, seed 43", WorkerStatus.Describe(Job.FromExpression<StudyJob>(j => j.Trial("study-1", 43, 0.5, 5.0, false, null!, CancellationToken.None)), "20"));
        Assert.Equal("study-1: trial α=0.05, T=10, T² on, seed 44", WorkerStatus.Describe(Job.FromExpression<StudyJob>(j => j.Trial("study-1", 44, 0.05, 10.0, true, null!, CancellationToken.None)), "21"));
        Assert.Equal("study-1: confirm step", WorkerStatus.Describe(Job.FromExpression<StudyJob>(j => j.Confirm("study-1", null!, CancellationToken.None)), "22"));
        // A job Hangfire could not read back (its type gone after an upgrade) keeps its job id.
        Assert.Equal("23", WorkerStatus.Describe(null, "23"));
    }
}
