using Bunit;
using DistillLab.Core.Download;
using DistillLab.Core.Experiments;
using DistillLab.Web.Components.Pages.Lab;
using LabPage = DistillLab.Web.Components.Pages.Lab.Lab;
using DistillLab.Web.Datasets;
using DistillLab.Web.Runs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.JSInterop;
using MudBlazor;
using DistillLab.Core.Training;
using DistillLab.Tests.Support;

namespace DistillLab.Tests.Web.Components.Pages.Lab;

/// <summary>The Lab page's parts in bUnit: validation messages, the queue, the charts' series and their recovery.</summary>
public sealed class LabPageComponentTests
{
    [Fact]
    public async Task ValidationMessagesStayUnderTheirFieldsAfterTheFieldsLoseFocus()
    {
        await using var ctx = new ComponentTestContext();
        ctx.Render<MudPopoverProvider>();
        var form = ctx.Render<RunForm>();

        var alpha = NumberField<double>(form, "Alpha");
        alpha.Find("input").Input("1.5");
        alpha.Find("input").Blur();
        form.WaitForAssertion(() => Assert.Contains("alpha must be a number between 0 and 1", form.Find("#alpha-message").TextContent));
        Assert.True(StartButton(form).HasAttribute("disabled"));

        // A field in the collapsed "More settings" opens it and keeps its message after blur, like any other.
        var batch = NumberField<int>(form, "Batch size");
        batch.Find("input").Input("0");
        batch.Find("input").Blur();
        form.WaitForAssertion(() => Assert.Contains("batchSize must", batch.Find(".mud-input-helper-text").TextContent));
        Assert.Equal("true", form.Find(".advanced-toggle").GetAttribute("aria-expanded"));
        Assert.Contains("alpha must be", form.Find("#alpha-message").TextContent);

        alpha.Find("input").Input("0.5");
        batch.Find("input").Input("32");
        form.WaitForAssertion(() => Assert.False(StartButton(form).HasAttribute("disabled")));
        Assert.Empty(form.FindAll("#alpha-message"));
    }

    [Fact]
    public async Task PetImagesIsListedButCannotBeChosenOrSubmittedBeforeItsDownload()
    {
        await using var ctx = new ComponentTestContext();
        var popovers = ctx.Render<MudPopoverProvider>();
        var form = ctx.Render<RunForm>();
        form.Find(".mud-select .mud-input-control").MouseDown();
        popovers.WaitForAssertion(() =>
        {
            var item = popovers.FindAll(".mud-list-item").Single(i => i.TextContent.Contains("petimages"));
            Assert.Contains("download first", item.TextContent);
            Assert.Contains("mud-list-item-disabled", item.ClassName);
        });

        var errors = ctx.Services.GetRequiredService<RunRequests>().Validate(new LabConfig { Data = "petimages" });
        Assert.Equal(RunRequests.PetImagesMissing, Assert.Single(errors).Message);
    }

    [Fact]
    public async Task StartBehindARunningRunSaysQueuedAndTheQueueCancelsOnlyTheChosenRun()
    {
        await using var ctx = new ComponentTestContext();
        var requests = ctx.Services.GetRequiredService<RunRequests>();
        var training = requests.Submit(new RunRequest(new LabConfig())).Run!;
        ctx.Registry.Live(training.Id)!.Update(s => s with { Status = RunStatus.Running });
        ctx.Render<MudPopoverProvider>();
        var snackbars = ctx.Render<MudSnackbarProvider>();
        var form = ctx.Render<RunForm>();
        var queue = ctx.Render<RunQueue>();

        StartButton(form).Click();
        snackbars.WaitForAssertion(() => Assert.Contains("queued (2nd in line)", snackbars.Markup));
        var waiting = Assert.Single(ctx.Registry.Queue());
        queue.WaitForAssertion(() => Assert.Contains("2nd in line", queue.Find("li").TextContent));
        Assert.Contains("α = 0.05, T = 5", queue.Find("li").TextContent);

        queue.Find($"button[aria-label='Cancel queued run {waiting.Id}']").Click();
        Assert.Equal(RunStatus.Cancelled, ctx.Registry.Get(waiting.Id)!.Status);
        Assert.Equal(RunStatus.Running, ctx.Registry.Get(training.Id)!.Status);
        queue.WaitForAssertion(() => Assert.Empty(queue.FindAll("li")));
    }

    [Fact]
    public void TheLossChartComparesCrossEntropyAndTheCombinedLossHasItsOwnChart()
    {
        var epoch = new EpochMetrics(1, 0.6, TrainLoss: 0.21, 0.55, ValLoss: 0.9, 1.0, 300, StudentLoss: 0.82, DistillationLoss: 0.18);
        var loss = ChartSeries.Loss(ModelRoles.All);
        Assert.Equal(0.82, loss.Single(s => s.Name == "Student (distilled) train").Value(epoch));
        Assert.Equal(0.21, loss.Single(s => s.Name == "Student (scratch) train").Value(epoch));

        var combined = ChartSeries.CombinedLoss(scaledByTemperatureSquared: true);
        Assert.Equal(new double?[] { 0.21, 0.82, 0.18 }, combined.Select(s => s.Value(epoch)));
        Assert.Contains("α·student + (1−α)·distillation", combined[0].Name);
        Assert.Contains("×T²", combined[2].Name);
    }

    [Fact]
    public async Task BeforeItsPhaseTheDistilledStudentsChartIsANoteNotEmptyAxes()
    {
        await using var ctx = new ComponentTestContext();
        ctx.Render<MudPopoverProvider>();
        var run = ctx.Services.GetRequiredService<RunRequests>().Submit(new RunRequest(new LabConfig())).Run!;
        ctx.Registry.Live(run.Id)!.Update(s => s with { Status = RunStatus.Running });
        var lab = ctx.Render<LabPage>();
        Assert.Contains("Waiting for the distilled student", lab.Find("[role=note][aria-label='Distilled student: combined loss']").TextContent);
        Assert.Empty(lab.FindAll("[role=figure][aria-label='Distilled student: combined loss']"));

        var metrics = new EpochMetrics(1, 0.6, 0.3, 0.55, 0.7, 1.0, 300, 0.6, 0.1);
        ctx.Registry.Live(run.Id)!.AddEpoch(ModelRole.StudentDistilled, metrics);
        ctx.Events.Publish(new EpochCompletedEvent(run.Id, ModelRole.StudentDistilled, metrics));
        lab.WaitForAssertion(() => Assert.Single(lab.FindAll("[role=figure][aria-label='Distilled student: combined loss']")), TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task AChartWhosePlotlyCallFailsLogsItAndRedrawsInsteadOfThrowing()
    {
        await using var ctx = new ComponentTestContext();
        var log = new ServerLog();
        ctx.Services.AddSingleton<ILoggerFactory>(new LoggerFactory([log]));
        var plotly = ctx.JSInterop.SetupModule("./_content/Plotly.Blazor/plotly-interop-7.2.0.js");
        plotly.SetupVoid("extendTraces", _ => true).SetException(new JSException("gd.data must be an array"));
        var run = ctx.Services.GetRequiredService<RunRequests>().Submit(new RunRequest(new LabConfig())).Run!;
        var chart = ctx.Render<MetricsChart>(p => p
            .Add(c => c.RunId, run.Id)
            .Add(c => c.Title, "Accuracy")
            .Add(c => c.Series, ChartSeries.Accuracy(ModelRole.Teacher)));
        chart.WaitForAssertion(() => Assert.Single(plotly.Invocations, i => i.Identifier == "newPlot"));

        var metrics = new EpochMetrics(1, 0.6, 0.7, 0.55, 0.72, 1.0, 300);
        ctx.Registry.Live(run.Id)!.AddEpoch(ModelRole.Teacher, metrics);
        ctx.Events.Publish(new EpochCompletedEvent(run.Id, ModelRole.Teacher, metrics));

        // extendTraces failed in the "browser": the chart is drawn again from the run's whole history.
        chart.WaitForAssertion(() => Assert.Equal(2, plotly.Invocations.Count(i => i.Identifier == "newPlot")), TimeSpan.FromSeconds(30));
        Assert.Equal(2, chart.Instance.PointsPlotted);
        Assert.Contains(log.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("failed in the browser") && e.Exception is JSException);
    }

    [Fact]
    public async Task AChartWhosePlotCannotBeDrawnRetriesThenSaysSoWithoutEndingTheCircuit()
    {
        await using var ctx = new ComponentTestContext();
        var log = new ServerLog();
        ctx.Services.AddSingleton<ILoggerFactory>(new LoggerFactory([log]));
        var plotly = ctx.JSInterop.SetupModule("./_content/Plotly.Blazor/plotly-interop-7.2.0.js");
        plotly.SetupVoid("newPlot", _ => true).SetException(new JSException("newPlot failed"));
        var run = ctx.Services.GetRequiredService<RunRequests>().Submit(new RunRequest(new LabConfig())).Run!;

        // PlotlyChart's own newPlot (in its first render, beyond MetricsChart's reach) fails every time: without the
        // boundary the exception would end the circuit; with it the chart is re-created three times, then gives up.
        var chart = ctx.Render<MetricsChart>(p => p
            .Add(c => c.RunId, run.Id)
            .Add(c => c.Title, "Accuracy")
            .Add(c => c.Series, ChartSeries.Accuracy(ModelRole.Teacher)));
        chart.WaitForAssertion(() => Assert.Contains("could not be drawn", chart.Find(".chart-failed").TextContent), TimeSpan.FromSeconds(30));
        Assert.Equal(4, plotly.Invocations.Count(i => i.Identifier == "newPlot"));
        Assert.Equal(3, log.Entries.Count(e => e.Level == LogLevel.Warning && e.Category.EndsWith("ChartErrorBoundary")));
        Assert.Single(log.Entries, e => e.Level == LogLevel.Error && e.Category.EndsWith("ChartErrorBoundary"));
    }

    [Fact]
    public async Task AFailedDownloadShowsAShortMessageWithTheFullOneUnderDetails()
    {
        var zip = PetImagesZipFixture.Shared;
        await using var server = await RangeFileServer.StartAsync(zip.Bytes);
        await using var ctx = new ComponentTestContext(new DownloadSettings { Url = server.Url, ExpectedBytes = zip.Bytes.Length, Sha256 = new string('0', 64) });
        var download = ctx.Render<DatasetDownload>();
        download.FindAll("button").Single(b => b.TextContent.Contains("Download Cats vs Dogs")).Click();

        download.WaitForAssertion(() => Assert.NotNull(download.Find(".download-card details")), TimeSpan.FromSeconds(30));
        var card = download.Find(".download-card .mud-alert-message");
        var full = card.QuerySelector("details")!.TextContent;
        var summary = card.TextContent.Replace(full, "").Trim();
        Assert.StartsWith("Download failed:", summary);
        Assert.InRange(summary.Length, 20, 140);
        Assert.True(full.Length > summary.Length);
    }

    [Fact]
    public void DownloadSummariesNameTheRootCauseInOneShortSentence()
    {
        var offline = new DownloadFailedException("Download of https://download.microsoft.com/very/long/path/kagglecatsanddogs_5340.zip failed 6 times in a row without progress; 0 of 824,887,076 bytes are kept in '/data/cats_vs_dogs/kagglecatsanddogs_5340.zip.part' for the next try. Last error: Name or service not known (download.microsoft.com:443)",
            new HttpRequestException("Name or service not known (download.microsoft.com:443)"));
        Assert.Equal("Download failed: Name or service not known (download.microsoft.com:443).", DatasetDownloads.Summarize(offline));
        var refused = new DownloadFailedException("Download of http://127.0.0.1:9/x.zip failed 6 times in a row. Last error: Connection refused (127.0.0.1:9)",
            new HttpRequestException("Connection refused (127.0.0.1:9)", new System.Net.Sockets.SocketException(111)));
        Assert.Equal("Download failed: Connection refused (127.0.0.1:9).", DatasetDownloads.Summarize(refused));
        Assert.True(DatasetDownloads.Summarize(new InvalidOperationException(new string('x', 500))).Length <= 140);
    }

    private static IRenderedComponent<MudNumericField<T>> NumberField<T>(IRenderedComponent<RunForm> form, string label) =>
        form.FindComponents<MudNumericField<T>>().Single(f => f.Instance.Label == label);

    private static AngleSharp.Dom.IElement StartButton(IRenderedComponent<RunForm> form) =>
        form.FindAll("button").Single(b => b.TextContent.Trim() == "Start");
}
