using Bunit;
using DistillLab.Core.Experiments;
using DistillLab.Core.Studies;
using DistillLab.Tests.Support;
using DistillLab.Web.Studies;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using StudiesPage = DistillLab.Web.Components.Pages.Studies.Studies;

namespace DistillLab.Tests.Web.Components.Pages.Studies;

/// <summary>The Studies page's list of studies in bUnit, driven by the event stream as the training thread drives it.</summary>
public sealed class StudiesPageTests
{
    [Fact]
    public async Task TheListFollowsEachStudysStartAndEndWhetherItIsShownOrNot()
    {
        await using var ctx = new ComponentTestContext();
        ctx.Render<MudPopoverProvider>();
        var registry = ctx.Services.GetRequiredService<StudyRegistry>();
        var config = new StudyConfig { Base = new LabConfig { ImageSize = 64 } };
        var first = registry.Add(StudyDetails.Queued("study-20261203-000001-aaaaaa", config));
        var second = registry.Add(StudyDetails.Queued("study-20261203-000002-bbbbbb", config) with { CreatedAt = DateTimeOffset.UtcNow.AddSeconds(1) });
        var page = ctx.Render<StudiesPage>();
        Assert.Equal(["queued", "queued"], Statuses(page));

        first.Update(s => s with { Status = StudyStatus.Running });
        ctx.Events.Publish(new StudyStartedEvent(first.Id, 0));
        page.WaitForAssertion(() => Assert.Equal("running", Status(page, first.Id)));
        Assert.Equal("queued", Status(page, second.Id));

        first.Update(s => s with { Status = StudyStatus.Cancelled });
        ctx.Events.Publish(new StudyCancelledEvent(first.Id));
        second.Update(s => s with { Status = StudyStatus.Running });
        ctx.Events.Publish(new StudyStartedEvent(second.Id, 0));
        page.WaitForAssertion(() => Assert.Equal("running", Status(page, second.Id)));
        Assert.Equal("cancelled", Status(page, first.Id));
    }

    private static List<string> Statuses(IRenderedComponent<StudiesPage> page) =>
        page.FindAll("ul[aria-label=Studies] li .mud-typography-caption").Select(e => e.TextContent.Trim()).ToList();

    private static string Status(IRenderedComponent<StudiesPage> page, string id) =>
        page.FindAll("ul[aria-label=Studies] li").Single(li => li.TextContent.Contains(id)).QuerySelector(".mud-typography-caption")!.TextContent.Trim();
}
