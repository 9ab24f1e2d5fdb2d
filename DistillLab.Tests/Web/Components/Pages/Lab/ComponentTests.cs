using Bunit;
using DistillLab.Core.Experiments;
using DistillLab.Web.Components.Pages.Lab;
using DistillLab.Web.Runs;
using MudBlazor;
using DistillLab.Core.Training;
using DistillLab.Tests.Support;

namespace DistillLab.Tests.Web.Components.Pages.Lab;

public sealed class ComponentTests
{
    private static RunDetails FinishedRun(string id = "run-1") =>
        new(id, RunStatus.Completed, new LabConfig { Alpha = 0.1, Temperature = 4 }, true, DateTimeOffset.UtcNow)
        {
            StartedAt = DateTimeOffset.UtcNow, FinishedAt = DateTimeOffset.UtcNow, ImageSize = 64, Device = "cpu",
            Data = new DataSummary("synthetic", ["cat", "dog"], 80, 10, 10, new Dictionary<string, int>()),
            Teacher = new ModelView { Parameters = 1_000_000, TestAccuracy = 0.90, TestLoss = 0.30, ModelBytes = 4_000_000, InferenceMillisecondsPerImage = 1.5 },
            StudentScratch = new ModelView { Parameters = 100_000, TestAccuracy = 0.70, TestLoss = 0.60, ModelBytes = 400_000, InferenceMillisecondsPerImage = 0.2 },
            StudentDistilled = new ModelView { Parameters = 100_000, TestAccuracy = 0.78, TestLoss = 0.50, ModelBytes = 400_000, InferenceMillisecondsPerImage = 0.2 },
            TotalSeconds = 12.5,
        };

    [Fact]
    public async Task TheBuiltInSetsNoteSaysItIsDrawnAndItsTooltipThatATenthOfItsTrainingLabelsAreWrong()
    {
        await using var ctx = new ComponentTestContext();
        var note = ctx.Render<DataSourceNote>(p => p.Add(n => n.Source, "synthetic"));

        Assert.Contains("Drawn pictures, not photos: 8,000 cartoon cats and dogs.", note.Markup);
        string why = note.Find("[title]").GetAttribute("title")!;
        Assert.StartsWith("10 % of the training labels are wrong on purpose", why);
        Assert.Contains("the distilled student gets and the scratch student does not", why);

        var photos = ctx.Render<DataSourceNote>(p => p.Add(n => n.Source, "petimages"));
        Assert.DoesNotContain("wrong on purpose", photos.Markup);
    }

    [Fact]
    public async Task InvalidAlphaShowsTheMessageNextToTheFieldAndStartStaysDisabled()
    {
        await using var ctx = new ComponentTestContext();
        ctx.Render<MudPopoverProvider>();
        var form = ctx.Render<RunForm>();
        Assert.False(StartButton(form).HasAttribute("disabled"));

        var alphaField = form.FindComponents<MudNumericField<double>>().Single(f => f.Instance.Label == "Alpha");
        alphaField.Find("input").Input("1.5");

        form.WaitForAssertion(() => Assert.Contains("alpha must be a number between 0 and 1", form.Markup));
        Assert.True(StartButton(form).HasAttribute("disabled"));

        alphaField.Find("input").Input("0.5");
        form.WaitForAssertion(() => Assert.False(StartButton(form).HasAttribute("disabled")));
    }

    [Fact]
    public async Task MovingTheAlphaSliderUpdatesTheNumberBesideIt()
    {
        await using var ctx = new ComponentTestContext();
        ctx.Render<MudPopoverProvider>();
        var form = ctx.Render<RunForm>();
        form.Find("input[type=range][aria-label=Alpha]").Input("0.37");

        form.WaitForAssertion(() =>
        {
            Assert.Equal(0.37, form.Instance.Request.Config.Alpha, 6);
            var number = form.FindComponents<MudNumericField<double>>().Single(f => f.Instance.Label == "Alpha");
            Assert.Equal("0.37", number.Find("input").GetAttribute("value"));
        });
    }

    [Fact]
    public async Task TemperatureSliderAndNumberShareOneValue()
    {
        await using var ctx = new ComponentTestContext();
        ctx.Render<MudPopoverProvider>();
        var form = ctx.Render<RunForm>();
        var number = form.FindComponents<MudNumericField<double>>().Single(f => f.Instance.Label == "Temperature");
        number.Find("input").Input("7.5");
        form.WaitForAssertion(() => Assert.Equal("7.5", form.Find("input[type=range][aria-label=Temperature]").GetAttribute("value")));
    }

    [Fact]
    public async Task ChartGainsAPointWhenAnEpochEventArrives()
    {
        await using var ctx = new ComponentTestContext();
        var run = FinishedRun() with { Status = RunStatus.Running };
        ctx.Store.Insert(run, "key");
        var chart = ctx.Render<MetricsChart>(p => p
            .Add(c => c.RunId, run.Id)
            .Add(c => c.Title, "Accuracy")
            .Add(c => c.Series, ChartSeries.Accuracy(ModelRole.Teacher)));
        Assert.Equal(0, chart.Instance.PointsPlotted);

        var metrics = new EpochMetrics(1, 0.6, 0.7, 0.55, 0.72, 1.0, 300);
        ctx.Store.AddEpoch(run.Id, ModelRole.Teacher, metrics);
        ctx.Events.Publish(new EpochCompletedEvent(run.Id, ModelRole.Teacher, metrics));

        // Two series (train dashed, validation solid) each gain the epoch, in one extendTraces call.
        chart.WaitForAssertion(() => Assert.Equal(2, chart.Instance.PointsPlotted), TimeSpan.FromSeconds(30));
        Assert.Contains(ctx.JSInterop.Invocations, i => i.Identifier.Contains("extendTraces", StringComparison.OrdinalIgnoreCase));
        Assert.Equal("2", chart.Find("[role=figure]").GetAttribute("data-points"));

        var other = new EpochMetrics(1, 0.6, 0.7, 0.55, 0.72, 1.0, 300);
        ctx.Events.Publish(new EpochCompletedEvent("another-run", ModelRole.Teacher, other));
        await Task.Delay(200);
        Assert.Equal(2, chart.Instance.PointsPlotted);
    }

    [Fact]
    public async Task ResultsTableShowsEachModelAndTheDistilledMinusScratchDifference()
    {
        await using var ctx = new ComponentTestContext();
        var table = ctx.Render<ResultsTable>(p => p.Add(t => t.Run, FinishedRun()));
        var rows = table.FindAll("tbody tr");
        Assert.Equal(4, rows.Count);
        Assert.Contains("Teacher", rows[0].TextContent);
        Assert.Contains("90.0 %", rows[0].TextContent);
        Assert.Contains("1,000,000", rows[0].TextContent);
        Assert.Contains("3.8 MB", rows[0].TextContent);
        Assert.Contains("1.50 ms", rows[0].TextContent);
        Assert.Contains("78.0 %", rows[2].TextContent);
        Assert.Contains("+8.0 points", rows[3].TextContent);
    }

    [Fact]
    public async Task ResultsTableAndStatusPanelSayWhatTheRunWasMeasuredOnMarkingTheBuiltInSetAsDrawnPictures()
    {
        await using var ctx = new ComponentTestContext();
        var synthetic = FinishedRun();
        var table = ctx.Render<ResultsTable>(p => p.Add(t => t.Run, synthetic));
        Assert.Equal("Measured on synthetic (drawn pictures, not photos), 64 px: 10 test images", table.Find("table caption").TextContent.Trim());
        var panel = ctx.Render<RunStatusPanel>(p => p.Add(x => x.Run, synthetic));
        Assert.StartsWith("Data: synthetic (drawn pictures, not photos), 64 px · 80 train", panel.Find("[aria-label='Data split']").TextContent.Trim());

        var photos = synthetic with { ImageSize = 224, Data = synthetic.Data! with { Source = "petimages", Test = 2_326 } };
        table = ctx.Render<ResultsTable>(p => p.Add(t => t.Run, photos));
        Assert.Equal("Measured on petimages, 224 px: 2,326 test images", table.Find("table caption").TextContent.Trim());
    }

    private static AngleSharp.Dom.IElement StartButton(IRenderedComponent<RunForm> form) =>
        form.FindAll("button").Single(b => b.TextContent.Trim() == "Start");
}
