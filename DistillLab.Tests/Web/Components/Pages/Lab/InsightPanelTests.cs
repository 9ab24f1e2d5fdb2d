using Bunit;
using DistillLab.Core.Experiments;
using DistillLab.Web.Components.Pages.Lab;
using static DistillLab.Tests.Support.CompareRuns;

using DistillLab.Tests.Support;

namespace DistillLab.Tests.Web.Components.Pages.Lab;

/// <summary>The Lab page's results beyond accuracy: figures per model, a reliability diagram and a confusion matrix each.</summary>
public sealed class InsightPanelTests
{
    [Fact]
    public async Task AFinishedRunShowsEachModelsFiguresDiagramAndConfusionMatrix()
    {
        await using var ctx = new ComponentTestContext();
        var run = Run("run-a", new LabConfig(), (1.0, 0.5, 0.75)) with { Insight = InsightLogits.Insight() };
        var panel = ctx.Render<InsightPanel>(p => p.Add(c => c.Run, run));

        var rows = panel.FindAll("[aria-label=Insight] tbody tr");
        Assert.Equal(["Teacher", "Student (scratch)", "Student (distilled)"], rows.Select(r => r.QuerySelector("td")!.TextContent.Trim()));
        string Cell(int row, string label) => rows[row].QuerySelector($"td[data-label='{label}']")!.TextContent.Trim();
        Assert.Equal("100.0 %", Cell(0, "Accuracy"));
        Assert.Equal("—", Cell(0, "Agreement with teacher"));
        Assert.Equal("—", Cell(0, "KL from teacher"));
        Assert.Equal("50.0 %", Cell(1, "Agreement with teacher"));
        Assert.Equal("75.0 %", Cell(2, "Accuracy"));
        Assert.Equal("75.0 %", Cell(2, "Agreement with teacher"));
        // NLL of the distilled student by hand: -ln softmax at the true class, averaged over the four images.
        double nll = (Math.Log(1 + Math.Exp(-3)) * 3 + Math.Log(1 + Math.Exp(1))) / 4;
        Assert.Equal(nll.ToString("0.000", System.Globalization.CultureInfo.InvariantCulture), Cell(2, "NLL"));

        var diagrams = panel.FindAll("[role=figure][aria-label^='Reliability diagram']");
        Assert.Equal(3, diagrams.Count);
        // The distilled student's four confidences (0.95, 0.95, 0.95, 0.73) fall in two bins.
        Assert.Equal("2", panel.Find("[aria-label='Reliability diagram: Student (distilled)']").GetAttribute("data-bins"));

        var confusion = panel.Find("table[aria-label='Confusion matrix: Student (distilled)']");
        Assert.Equal(["cat", "dog"], confusion.QuerySelectorAll("thead th[scope=col]").Skip(1).Select(th => th.TextContent.Trim()));
        Assert.Equal(["cat", "dog"], confusion.QuerySelectorAll("tbody th[scope=row]").Select(th => th.TextContent.Trim()));
        Assert.Equal(["1", "1", "0", "2"], confusion.QuerySelectorAll("tbody td").Select(td => td.TextContent.Trim()));
    }

    [Fact]
    public async Task ARunStoredBeforeInsightShowsANoteInsteadOfFigures()
    {
        await using var ctx = new ComponentTestContext();
        var run = Run("old", new LabConfig(), (0.9, 0.8, 0.85));
        var panel = ctx.Render<InsightPanel>(p => p.Add(c => c.Run, run));
        Assert.Contains("stored before DistillLab measured", panel.Find("[role=note]").TextContent);
        Assert.Empty(panel.FindAll("[aria-label=Insight]"));
        Assert.Empty(panel.FindAll("[role=figure]"));
    }
}
