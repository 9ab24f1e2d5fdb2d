using DistillLab.Core.Experiments;
using DistillLab.Web.Runs;
using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;
using Plotly.Blazor;
using Plotly.Blazor.LayoutLib;
using Plotly.Blazor.Traces;
using Plotly.Blazor.Traces.ScatterLib;
using DistillLab.Core.Training;

namespace DistillLab.Web.Components.Pages.Lab;

/// <summary>A live line chart of per-epoch metrics of one run. It draws the epochs already done, then gains one point
/// per series at every EpochCompleted event (ExtendTraces, no full redraw). Give it a new @key for another run.</summary>
/// <remarks>Points are only appended once plotly has drawn the plot (PlotlyChart's AfterRender): extending a plot that
/// does not exist yet fails in the browser with "gd.data must be an array", which happened whenever a run's history
/// grew between this chart's first render and plotly's newPlot (a reused teacher's epochs arrive all at once).
/// A JavaScript error here is logged and answered with a full redraw; it never ends the circuit.</remarks>
public partial class MetricsChart : IDisposable
{
    [Parameter, EditorRequired] public string RunId { get; set; } = "";
    [Parameter, EditorRequired] public string Title { get; set; } = "";
    [Parameter] public string YTitle { get; set; } = "";
    [Parameter, EditorRequired] public IReadOnlyList<ChartSeries> Series { get; set; } = [];
    /// <summary>A fixed y range (e.g. 0-1 for accuracy); null lets plotly fit the data.</summary>
    [Parameter] public (double Min, double Max)? YRange { get; set; }

    private PlotlyChart? chart;
    private readonly Config config = ChartLook.Config();
    private Plotly.Blazor.Layout layout = new();
    private readonly IList<ITrace> data = new List<ITrace>();
    private int[] plotted = [];
    private IDisposable? subscription;
    private readonly SemaphoreSlim drawing = new(1, 1);
    private bool plotReady, needsRedraw, disposed;

    /// <summary>Epochs drawn so far, summed over the series (also exposed as data-points for tests).</summary>
    public int PointsPlotted => plotted.Sum();

    protected override void OnInitialized()
    {
        layout = ChartLook.Layout(Title, YTitle, YRange);
        Rebuild(Runs.Get(RunId));
    }

    /// <summary>Sets every trace to the run's whole history (in place: PlotlyChart holds this list).</summary>
    private void Rebuild(RunDetails? run)
    {
        data.Clear();
        plotted = new int[Series.Count];
        for (int i = 0; i < Series.Count; i++)
        {
            var s = Series[i];
            var history = run?.Model(s.Model).History ?? [];
            var points = Points(s, history, 0);
            plotted[i] = history.Count;
            data.Add(new Scatter
            {
                Name = s.Name,
                Mode = ModeFlag.Lines | ModeFlag.Markers,
                X = points.Select(p => (object)p.Epoch).ToList(),
                Y = points.Select(p => (object)p.Value).ToList(),
                Line = new Line { Color = s.Color, Dash = s.Dashed ? "dash" : "solid" },
            });
        }
    }

    private static List<(int Epoch, double Value)> Points(ChartSeries series, IReadOnlyList<EpochMetrics> history, int from) =>
        history.Skip(from).Select(e => (e.Epoch, Value: series.Value(e)))
            .Where(p => p.Value is { } v && double.IsFinite(v)).Select(p => (p.Epoch, p.Value!.Value)).ToList();

    protected override void OnAfterRender(bool firstRender)
    {
        if (firstRender) subscription = Events.Subscribe(OnEvent);
    }

    /// <summary>PlotlyChart has sent newPlot: from now on points may be appended. Epochs that arrived meanwhile are drawn now.</summary>
    private void OnPlotted()
    {
        plotReady = true;
        InvokeAsync(CatchUp).ContinueWith(t => Log.LogError(t.Exception, "Chart '{Chart}' could not catch up", Title),
            CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
    }

    /// <summary>The chart's own plot failed and is about to be re-created: wait for its newPlot again.</summary>
    private void OnRedraw() => plotReady = false;

    private Task OnEvent(RunEvent e) =>
        e.RunId == RunId && e is EpochCompletedEvent or RunCompletedEvent or RunChangedEvent or RunStartedEvent
            ? InvokeAsync(CatchUp)
            : Task.CompletedTask;

    /// <summary>Draws every epoch not drawn yet, from the run's state, so a missed or late event loses nothing.</summary>
    private async Task CatchUp()
    {
        var run = Runs.Get(RunId);
        if (run is null || chart is null || !plotReady || disposed) return;
        await drawing.WaitAsync();
        try
        {
            if (needsRedraw) await Redraw(run);
            else await Extend(run);
        }
        catch (JSDisconnectedException) { /* the tab is gone; nothing to draw on */ }
        catch (Exception e) when (e is JSException or TaskCanceledException)
        {
            Log.LogWarning(e, "Chart '{Chart}' of run {RunId} failed in the browser; drawing it again", Title, RunId);
            needsRedraw = true;
            try { await Redraw(run); }
            catch (Exception again) when (again is JSException or TaskCanceledException or JSDisconnectedException)
            {
                Log.LogWarning(again, "Redrawing chart '{Chart}' failed too; the next epoch tries again", Title);
            }
        }
        finally { drawing.Release(); }
        if (!disposed) StateHasChanged();
    }

    private async Task Extend(RunDetails run)
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
        if (indices.Count > 0) await chart!.ExtendTraces(xs, ys, indices);
    }

    private async Task Redraw(RunDetails run)
    {
        Rebuild(run);
        await chart!.NewPlot();
        needsRedraw = false;
    }

    public void Dispose()
    {
        disposed = true;
        subscription?.Dispose();
    }
}
