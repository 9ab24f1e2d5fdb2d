using DistillLab.Core.Training;
using DistillLab.Web.Components.Pages.Lab;
using DistillLab.Core.Studies;
using DistillLab.Web.Studies;
using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;
using Plotly.Blazor;
using Plotly.Blazor.Traces;
using Plotly.Blazor.Traces.ScatterLib;

namespace DistillLab.Web.Components.Pages.Studies;

/// <summary>Each trial's validation accuracy per epoch (pruned trials end early, dotted), the seeds' scratch students
/// dashed in grey, and the trial in progress as it learns. Re-plotted when an epoch or a trial is added.</summary>
public partial class StudyCurves
{
    [Parameter, EditorRequired] public StudyDetails Study { get; set; } = default!;
    [Inject] private ILogger<StudyCurves> Log { get; set; } = default!;

    private PlotlyChart? chart;
    private readonly Config config = ChartLook.Config();
    private readonly Plotly.Blazor.Layout layout = ChartLook.Layout("Validation accuracy of each trial", "validation accuracy", null);
    private readonly IList<ITrace> data = new List<ITrace>();
    private string drawn = "", plotted = "";
    private bool plotReady;

    protected override void OnParametersSet()
    {
        var current = Study.Current is { Model: ModelRole.StudentDistilled } c ? c : null;
        var version = $"{Study.Trials.Count}/{Study.Baseline.Count}/{current?.Trial}/{current?.History.Count}";
        if (version == drawn) return;
        drawn = version;
        data.Clear();
        layout.HoverMode = Plotly.Blazor.LayoutLib.HoverModeEnum.Closest;
        layout.ShowLegend = false;
        foreach (var b in Study.Baseline) data.Add(Line($"scratch, seed {b.Seed}", b.History, "#757575", "dash"));
        foreach (var t in Study.Trials)
            data.Add(Line($"{t.Key}{(t.Status == TrialStatus.Pruned ? " (pruned)" : "")}", t.History, null, t.Status == TrialStatus.Pruned ? "dot" : "solid"));
        if (current is { Trial: { } key }) data.Add(Line($"{key} (training)", current.History, "#000000", "solid"));
    }

    private static Scatter Line(string name, IReadOnlyList<EpochMetrics> history, string? color, string dash) => new()
    {
        Name = name,
        Mode = ModeFlag.Lines | ModeFlag.Markers,
        X = history.Select(e => (object)e.Epoch).ToList(),
        Y = history.Select(e => (object)e.ValAccuracy).ToList(),
        Line = new Line { Color = color, Dash = dash, Width = color == "#000000" ? 3 : 1.5m },
        HoverTemplate = name + "<br>epoch %{x}: %{y:.3f}<extra></extra>",
    };

    // The first plot drew whatever the data held when it was sent, and a newer snapshot may have come in while the
    // browser drew it: leave `plotted` unset, so the render this callback causes re-plots once with the latest.
    private void OnPlotted() => plotReady = true;

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (!plotReady || chart is null || plotted == drawn) return;
        plotted = drawn;
        try { await chart.React(); }
        catch (JSDisconnectedException) { }
        catch (JSException e) { Log.LogWarning(e, "The curves of study {StudyId} failed in the browser", Study.Id); }
    }
}
