using DistillLab.Core.Experiments;
using DistillLab.Web.Training;
using Microsoft.AspNetCore.Components;
using Plotly.Blazor;
using Plotly.Blazor.LayoutLib;
using Plotly.Blazor.Traces;
using Plotly.Blazor.Traces.ScatterLib;

namespace DistillLab.Web.Components.Widgets;

/// <summary>A live line chart of per-epoch metrics of one run. It catches up with the epochs already done,
/// then gains one point per series at every EpochCompleted event (ExtendTrace, never a full redraw).
/// Give it a new @key for another run.</summary>
public partial class MetricsChart : IDisposable
{
    [Parameter, EditorRequired] public string RunId { get; set; } = "";
    [Parameter, EditorRequired] public string Title { get; set; } = "";
    [Parameter] public string YTitle { get; set; } = "";
    [Parameter, EditorRequired] public IReadOnlyList<ChartSeries> Series { get; set; } = [];
    /// <summary>A fixed y range (e.g. 0-1 for accuracy); null lets plotly fit the data.</summary>
    [Parameter] public (double Min, double Max)? YRange { get; set; }

    private PlotlyChart? chart;
    private readonly Config config = new() { Responsive = true, DisplayModeBar = Plotly.Blazor.ConfigLib.DisplayModeBarEnum.False };
    private Plotly.Blazor.Layout layout = new();
    private IList<ITrace> data = new List<ITrace>();
    private int[] plotted = [];
    private IDisposable? subscription;
    private readonly SemaphoreSlim drawing = new(1, 1);

    /// <summary>Epochs drawn so far, summed over the series (also exposed as data-points for tests).</summary>
    public int PointsPlotted => plotted.Sum();

    protected override void OnInitialized()
    {
        layout = new Plotly.Blazor.Layout
        {
            Title = new Title { Text = Title },
            Height = 320,
            Margin = new Margin { L = 50, R = 10, T = 40, B = 40 },
            XAxis = [new XAxis { Title = new Plotly.Blazor.LayoutLib.XAxisLib.Title { Text = "epoch" }, DTick = 1 }],
            YAxis = [new YAxis
            {
                Title = new Plotly.Blazor.LayoutLib.YAxisLib.Title { Text = YTitle },
                Range = YRange is { } r ? [r.Min, r.Max] : null,
            }],
        };
        // Epochs already done are drawn with the first render; later ones are appended with ExtendTraces.
        var run = Runs.Get(RunId);
        plotted = new int[Series.Count];
        data = Series.Select((s, i) =>
        {
            var history = run?.Model(s.Model).History ?? [];
            var points = Points(s, history, 0);
            plotted[i] = history.Count;
            return (ITrace)new Scatter
            {
                Name = s.Name,
                Mode = ModeFlag.Lines | ModeFlag.Markers,
                X = points.Select(p => (object)p.Epoch).ToList(),
                Y = points.Select(p => (object)p.Value).ToList(),
                Line = new Line { Color = s.Color, Dash = s.Dashed ? "dash" : "solid" },
            };
        }).ToList();
    }

    private static List<(int Epoch, double Value)> Points(ChartSeries series, IReadOnlyList<EpochMetrics> history, int from) =>
        history.Skip(from).Select(e => (e.Epoch, Value: series.Value(e)))
            .Where(p => p.Value is { } v && double.IsFinite(v)).Select(p => (p.Epoch, p.Value!.Value)).ToList();

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (!firstRender) return;
        subscription = Events.Subscribe(OnEvent);
        await CatchUp();
    }

    private Task OnEvent(RunEvent e) =>
        e.RunId == RunId && e is EpochCompletedEvent or RunCompletedEvent or RunChangedEvent
            ? InvokeAsync(CatchUp)
            : Task.CompletedTask;

    /// <summary>Draws every epoch not drawn yet, from the run's state, so a missed or late event loses nothing.</summary>
    private async Task CatchUp()
    {
        var run = Runs.Get(RunId);
        if (run is null || chart is null) return;
        await drawing.WaitAsync();
        try
        {
            var xs = new List<IEnumerable<object>>();
            var ys = new List<IEnumerable<object>>();
            var indices = new List<int>();
            for (int i = 0; i < Series.Count; i++)
            {
                var history = run.Model(Series[i].Model).History;
                var points = Points(Series[i], history, plotted[i]);
                plotted[i] = Math.Max(plotted[i], history.Count);
                if (points.Count == 0) continue;
                xs.Add(points.Select(p => (object)p.Epoch).ToList());
                ys.Add(points.Select(p => (object)p.Value).ToList());
                indices.Add(i);
            }
            // One interop call for all new points: plotly appends them, nothing is redrawn from scratch.
            if (indices.Count > 0) await chart.ExtendTraces(xs, ys, indices);
        }
        finally { drawing.Release(); }
        StateHasChanged();
    }

    public void Dispose() => subscription?.Dispose();
}
