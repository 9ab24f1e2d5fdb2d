using System.Net.Http.Json;
using DistillLab.Core.Training;
using DistillLab.Web.Runs;
using Xunit.Abstractions;

using DistillLab.Tests.Support;

using DistillLab.Tests.Web.Training;

namespace DistillLab.Tests.Web.Api;

/// <summary>Insight and exports of a run that really trained (Core's LabRunner through the training service).</summary>
[Collection(DashboardCollection.Name)]
public sealed class RealRunInsightTests(RealRunFixture fixture, ITestOutputHelper output) : IClassFixture<RealRunFixture>
{
    [Fact]
    public async Task ATrainedRunStoresInsightAndLogitsAndItsModelsExportWithTheSameLogits()
    {
        var run = (await fixture.Http.GetFromJsonAsync<RunDetails>($"/api/runs/{fixture.FirstRun.Id}", DashboardHost.Json))!;
        var insight = run.Insight ?? throw new Xunit.Sdk.XunitException("The finished run has no insight.");
        // Insight's accuracy comes from its own pass over the test split; it must agree with the lab's test.
        Assert.Equal(run.Teacher.TestAccuracy!.Value, insight.Teacher.Accuracy, 9);
        Assert.Equal(run.StudentDistilled.TestAccuracy!.Value, insight.StudentDistilled.Accuracy, 9);
        Assert.Equal(run.StudentScratch.TestLoss!.Value, insight.StudentScratch.Nll, 4);
        Assert.InRange(insight.StudentDistilled.AgreementWithTeacher!.Value, 0, 1);

        var logits = ExportedModelCheck.StoredLogits(fixture.Host, run.Id);
        Assert.Equal(run.Data!.Test, logits.Labels.Length);
        Assert.Equal(run.Data.Classes, logits.Classes);

        int images = Math.Min(run.Data.Test, 32);
        foreach (var role in ModelRoles.All)
        {
            float difference = await ExportedModelCheck.OnnxMatchesStoredLogitsAsync(fixture.Host, fixture.Http, run.Id, role, run.ImageSize!.Value, images);
            output.WriteLine($"trained {ModelRoles.Key(role)}: ONNX vs stored logits on {images} test images: {difference:E2}");
        }
    }
}
