using DistillLab.Core.Training;
using Bunit;
using DistillLab.Core.Data;
using DistillLab.Core.Experiments;
using DistillLab.Web.Settings;
using DistillLab.Web.Predictions;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SixLabors.ImageSharp.PixelFormats;
using PredictionsPage = DistillLab.Web.Components.Pages.Predictions.Predictions;
using DistillLab.Tests.Support;

namespace DistillLab.Tests.Web.Components.Pages.Predictions;

/// <summary>The Predictions page's upload goes through the same decode bound as the API and says when it is full.</summary>
public sealed class PredictionsUploadTests
{
    [Fact]
    public async Task AnUploadWhileEveryDecodeSlotIsTakenShowsTheBusyMessage()
    {
        await using var ctx = new ComponentTestContext();
        var decoder = new HeldUploadDecoder(Options.Create(new DashboardOptions { ConcurrentDecodes = 1, WaitingDecodes = 0 }));
        ctx.Services.AddSingleton(new PredictionService(ctx.Registry, decoder));
        var run = CompareRuns.Save(ctx.Store, CompareRuns.Run("run-a", new LabConfig(), (0.9, 0.8, 0.85)));
        foreach (var role in ModelRoles.All)
        {
            // The page only checks that the models exist before decoding; the busy answer comes before any prediction.
            Directory.CreateDirectory(ctx.Artifacts.RunDirectory(run.Id));
            File.WriteAllBytes(ctx.Artifacts.ModelPath(run.Id, role), []);
        }
        var picture = TestImages.Png(40, 40, new Rgb24(200, 80, 60));
        var holding = decoder.DecodeAsync(picture, 64, ResizeMethod.Smooth); // someone else's upload holds the only slot
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (decoder.Started < 1 && DateTime.UtcNow < deadline) await Task.Delay(20);

        var page = ctx.Render<PredictionsPage>(p => p.Add(x => x.RunId, run.Id));
        page.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromBinary(picture, "cat.png", contentType: "image/png"));

        page.WaitForAssertion(() => Assert.Contains("decoding as many uploaded pictures as it takes at once (1 decoding, 0 waiting). Try again in 2 s.",
            page.Find(".mud-alert-message").TextContent));
        decoder.Release();
        await holding;
    }
}
