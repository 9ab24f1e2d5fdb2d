using Bunit;
using DistillLab.Tests.Support;
using DistillLab.Web.Components.Pages.Studies;
using MudBlazor;

namespace DistillLab.Tests.Web.Components.Pages.Studies;

/// <summary>The Studies form in bUnit: what it says next to Start.</summary>
public sealed class StudyFormTests
{
    [Fact]
    public async Task WhileAStudyIsUnfinishedTheFormSaysANewOneQueuesBehindIt()
    {
        await using var ctx = new ComponentTestContext();
        ctx.Render<MudPopoverProvider>();
        var form = ctx.Render<StudyForm>(p => p.Add(f => f.CancellableStudyId, "study-20261203-010203-abcdef"));

        var hint = form.Find(".queue-hint");
        Assert.Contains("study-20261203-010203-abcdef is not finished", hint.TextContent);
        Assert.Contains("waits in line", hint.TextContent);
        Assert.False(StartButton(form).HasAttribute("disabled"));

        form.Render(p => p.Add(f => f.CancellableStudyId, null));
        Assert.Empty(form.FindAll(".queue-hint"));
    }

    private static AngleSharp.Dom.IElement StartButton(IRenderedComponent<StudyForm> form)
        => form.FindAll("button").Single(b => b.TextContent.Trim() == "Start study");
}
