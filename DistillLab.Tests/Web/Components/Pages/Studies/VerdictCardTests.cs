using Bunit;
using DistillLab.Core.Studies;
using DistillLab.Tests.Support;
using DistillLab.Web.Components.Pages.Studies;

namespace DistillLab.Tests.Web.Components.Pages.Studies;

public sealed class VerdictCardTests
{
    [Fact]
    public async Task EachSeedsRowLinksItsBestStudentAsOnnxAndSafetensors()
    {
        await using var ctx = new ComponentTestContext();
        var best = new BestSetting(0.5, 5, false, new ConfirmedOnTest([0.7, 0.72], [0.68, 0.69], 0.025, [0.01, 0.04], 0.03), "helps");

        var card = ctx.Render<VerdictCard>(p => p.Add(c => c.Best, best).Add(c => c.StudyId, "study-1").Add(c => c.Seeds, [42, 43]));

        var links = card.FindAll("a[download]").Select(a => (a.GetAttribute("aria-label"), a.GetAttribute("href"))).ToList();
        Assert.Equal(
        [
            ("Seed 42 student as ONNX", "/api/studies/study-1/models/best-seed42.onnx"),
            ("Seed 42 student as safetensors", "/api/studies/study-1/models/best-seed42.safetensors"),
            ("Seed 43 student as ONNX", "/api/studies/study-1/models/best-seed43.onnx"),
            ("Seed 43 student as safetensors", "/api/studies/study-1/models/best-seed43.safetensors"),
        ], links);
    }
}
