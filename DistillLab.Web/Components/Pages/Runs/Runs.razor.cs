using DistillLab.Web.Components.Widgets;
using DistillLab.Web.Training;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace DistillLab.Web.Components.Pages.Runs;

/// <summary>Every run with its settings and test accuracies; select runs to overlay their validation curves or export them; delete.</summary>
public partial class Runs : IDisposable
{
    [Inject] private RunRegistry Registry { get; set; } = default!;
    [Inject] private RunArtifacts Artifacts { get; set; } = default!;
    [Inject] private RunRequests Requests { get; set; } = default!;
    [Inject] private RunEventStream Events { get; set; } = default!;
    [Inject] private IDialogService Dialogs { get; set; } = default!;

    private IReadOnlyList<RunDetails> runs = [];
    private readonly HashSet<string> selected = [];
    private IDisposable? subscription;

    protected override void OnInitialized() => runs = Registry.List();

    protected override void OnAfterRender(bool firstRender)
    {
        if (firstRender) subscription = Events.Subscribe(OnEvent);
    }

    // Status changes only: batch progress and epochs do not change this table.
    private Task OnEvent(RunEvent e) => e is BatchProgressEvent or EpochCompletedEvent
        ? Task.CompletedTask
        : InvokeAsync(() => { runs = Registry.List(); StateHasChanged(); });

    private void Toggle(string id, bool on)
    {
        if (on) selected.Add(id); else selected.Remove(id);
    }

    private List<RunDetails> SelectedRuns() => runs.Where(r => selected.Contains(r.Id)).Select(r => Registry.Get(r.Id)).OfType<RunDetails>().ToList();

    private string ExportUrl(string format) => $"/api/runs/export?format={format}&ids={string.Join(',', selected)}";

    private async Task Delete(RunDetails run)
    {
        if (!await ConfirmDialog.AskAsync(Dialogs, "Delete run", $"Delete run {run.Id}, its saved models and predictions?", "Delete")) return;
        if (Requests.Delete(run.Id, Artifacts) == DeleteResult.Active) return;
        selected.Remove(run.Id);
        runs = Registry.List();
    }

    private static string Percent(double? v) => v is { } x ? $"{x * 100:0.0} %" : "—";

    private static string Duration(RunDetails r) => r.StartedAt is { } s && r.FinishedAt is { } f
        ? (f - s).TotalSeconds < 120 ? $"{(f - s).TotalSeconds:0} s" : $"{(f - s).TotalMinutes:0.0} min"
        : r.Status == RunStatus.Running ? "running" : "—";

    public void Dispose() => subscription?.Dispose();
}
