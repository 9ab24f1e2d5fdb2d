using DistillLab.Web.Components.Pages.Lab;
using DistillLab.Web.Studies;
using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;
using Plotly.Blazor;
using Plotly.Blazor.LayoutLib;
using Plotly.Blazor.Traces;

namespace DistillLab.Web.Components.Pages.Studies;

/// <summary>The α × T heat map: colour = mean paired difference (distilled − scratch, validation, points), each cell's
/// text its value, CI, seeds in and pruned trials. Cells fill in as trials finish: the page hands a new snapshot and
/// the chart is re-plotted (Plotly's react) when the finished trials changed. Give it a new @key for another study.</summary>
public partial class StudyHeatmap
{
    [Parameter, EditorRequired] public StudyDetails Study { get; set; } = default!;
    [Inject] private ILogger<StudyHeatmap> Log { get; set; } = default!;

    private PlotlyChart? chart;
    private readonly Config config = ChartLook.Config();
    private Plotly.Blazor.Layout layout = new();
    private readonly IList<ITrace> data = new List<ITrace>();
    private int drawnTrials = -1, plottedTrials = -1;
    private bool plotReady;
    /// <summary>Cells with a value (also data-cells, for tests).</summary>
    private int filled;

    protected override void OnParametersSet()
    {
        if (Study.Trials.Count == drawnTrials) return;
        drawnTrials = Study.Trials.Count;
        var cells = HeatmapCells.Of(Study);
        filled = cells.Values.Sum(row => row.Count(v => v is not null));
        layout = new Plotly.Blazor.Layout
        {
            Title = new Title { Text = "Mean gain over the scratch student (validation, points)", X = 0, Font = new Plotly.Blazor.LayoutLib.TitleLib.Font { Size = 14 } },
            Height = Math.Max(260, 90 + 70 * cells.Rows.Count),
            Margin = new Margin { L = 110, R = 10, T = 40, B = 40 },
            XAxis = [new XAxis { Type = Plotly.Blazor.LayoutLib.XAxisLib.TypeEnum.Category }],
            YAxis = [new YAxis { Type = Plotly.Blazor.LayoutLib.YAxisLib.TypeEnum.Category, AutoRange = Plotly.Blazor.LayoutLib.YAxisLib.AutoRangeEnum.Reversed }],
        };
        data.Clear();
        data.Add(new HeatMap
        {
            X = cells.Columns.Cast<object>().ToList(),
            Y = cells.Rows.Cast<object>().ToList(),
            Z = cells.Values.Select(row => (object)row.Cast<object?>().ToList()).ToList(),
            Text = cells.Texts.Select(row => (object)row.ToList()).ToList(),
            TextTemplate = "%{text}",
            HoverTemplate = "%{y}, %{x}<br>%{text}<extra></extra>",
            ColorScale = "RdBu",
            ZMid = 0,
            ColorBar = new Plotly.Blazor.Traces.HeatMapLib.ColorBar { Title = new Plotly.Blazor.Traces.HeatMapLib.ColorBarLib.Title { Text = "points" } },
        });
    }

    // The first plot drew whatever the data held when it was sent, and a newer snapshot may have come in while the
    // browser drew it: leave plottedTrials unset, so the render this callback causes re-plots once with the latest.
    private void OnPlotted() => plotReady = true;

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        // PlotlyChart draws only once by itself; later snapshots are re-plotted here.
        if (!plotReady || chart is null || plottedTrials == drawnTrials) return;
        plottedTrials = drawnTrials;
        try { await chart.React(); }
        catch (JSDisconnectedException) { }
        catch (JSException e) { Log.LogWarning(e, "The heat map of study {StudyId} failed in the browser", Study.Id); }
    }
}
