using DistillLab.Web.Components.Pages.Compare;
using DistillLab.Web.Runs;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace DistillLab.Web.Components.Pages.Runs;

/// <summary>Every run with its settings and test accuracies (and, switched on, the students' fidelity and calibration), sortable; name runs and add notes; select runs to
/// compare or export them; download their models; delete.</summary>
public partial class Runs : IDisposable
{
    [Inject] private RunRegistry Registry { get; set; } = default!;
    [Inject] private RunRequests Requests { get; set; } = default!;
    [Inject] private RunEventStream Events { get; set; } = default!;
    [Inject] private IDialogService Dialogs { get; set; } = default!;

    private IReadOnlyList<RunDetails> runs = [];
    // In the order they were ticked: the Compare page colours runs in this order.
    private readonly List<string> selected = [];
    // Off at first: the accuracy columns alone fit a laptop's width.
    private bool showInsight;
    private IDisposable? subscription;

    protected override void OnInitialized() => runs = Registry.List();

    protected override void OnAfterRender(bool firstRender)
    {
        if (firstRender) subscription = Events.Subscribe(OnEvent);
    }

    // Status and name changes only: batch progress and epochs do not change this table.
    private Task OnEvent(RunEvent e) => e is BatchProgressEvent or EpochCompletedEvent
        ? Task.CompletedTask
        : InvokeAsync(() => { runs = Registry.List(); StateHasChanged(); });

    private void Toggle(string id, bool on)
    {
        selected.Remove(id);
        if (on) selected.Add(id);
    }

    private string CompareUrl => "/" + CompareSelection.Url(selected);

    private string ExportUrl(string format) => $"/api/runs/export?format={format}&ids={string.Join(',', selected)}";

    private async Task EditLabel(RunDetails run)
    {
        var parameters = new DialogParameters<RunLabelDialog> { { d => d.Run, run } };
        var dialog = await Dialogs.ShowAsync<RunLabelDialog>($"Name and notes of run {run.Id}", parameters,
            new DialogOptions { CloseOnEscapeKey = true, MaxWidth = MaxWidth.Small, FullWidth = true });
        // The dialog saves through RunLabels, whose RunChangedEvent refreshes this table and every other open tab.
        await dialog.Result;
    }

    private async Task Delete(RunDetails run)
    {
        if (!await ConfirmDialog.AskAsync(Dialogs, "Delete run", $"Delete run {run.DisplayName}, its saved models and predictions?", "Delete")) return;
        if (Requests.Delete(run.Id) == DeleteResult.Active) return;
        selected.Remove(run.Id);
        runs = Registry.List();
    }

    private static string Duration(RunDetails r) => r.StartedAt is { } s && r.FinishedAt is { } f
        ? (f - s).TotalSeconds < 120 ? $"{(f - s).TotalSeconds:0} s" : $"{(f - s).TotalMinutes:0.0} min"
        : r.Status == RunStatus.Running ? "running" : "—";

    public void Dispose() => subscription?.Dispose();
}
