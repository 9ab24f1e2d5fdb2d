using DistillLab.Web.Training;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace DistillLab.Web.Components.Widgets;

/// <summary>The Lab page's settings form. Validation is LabConfig.Validate (through RunRequests), shown per field;
/// Start stays disabled while any field is invalid.</summary>
public partial class RunForm
{
    /// <summary>The queued or running run the Cancel button stops; null disables it.</summary>
    [Parameter] public string? CancellableRunId { get; set; }
    [Parameter] public EventCallback<RunDetails> OnSubmitted { get; set; }

    private readonly RunFormModel model = new();
    private Dictionary<string, string> errors = [];
    private IReadOnlyList<DatasetInfo> datasets = [];
    private bool submitting;

    /// <summary>The form's values, for tests and the page.</summary>
    public RunFormModel Model => model;

    private int DefaultImageSize => DeviceDefaults.ImageSize(model.Device);

    protected override void OnInitialized()
    {
        datasets = Catalog.List();
        Revalidate();
    }

    /// <summary>After the Cats vs Dogs download: petimages now has its image count, and the estimate uses it.</summary>
    private void RefreshDatasets()
    {
        datasets = Catalog.List();
        Revalidate();
    }

    private void Set(Action change)
    {
        change();
        Revalidate();
    }

    private bool Has(string field) => errors.ContainsKey(field);
    private string? Error(string field) => errors.GetValueOrDefault(field);

    private void Revalidate()
    {
        var request = model.ToRequest();
        errors = Requests.Validate(request.Config).GroupBy(e => e.Field).ToDictionary(g => g.Key, g => $"{g.Key} {g.First().Message}");
    }

    private async Task Start()
    {
        submitting = true;
        try
        {
            var result = Requests.Submit(model.ToRequest());
            if (result.QueueFull) Snackbar.Add("The run queue is full; wait for a run to finish or cancel one.", Severity.Warning);
            else if (!result.Accepted) errors = result.Errors.ToDictionary(e => e.Field, e => $"{e.Field} {e.Message}");
            else
            {
                var run = result.Run!;
                Snackbar.Add(run.QueuePosition is > 1 ? $"Run queued at position {run.QueuePosition}." : "Run started.", Severity.Success);
                await OnSubmitted.InvokeAsync(run);
            }
        }
        finally { submitting = false; }
    }

    private void Cancel()
    {
        if (CancellableRunId is { } id && Requests.Cancel(id)) Snackbar.Add("Cancelling the run.", Severity.Info);
    }
}
