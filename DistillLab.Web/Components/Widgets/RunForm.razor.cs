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
    private string estimate = "";
    private bool teacherReusable;
    private bool submitting;
    private IReadOnlyList<RunDetails> history = [];

    /// <summary>The form's values, for tests and the page.</summary>
    public RunFormModel Model => model;

    private int DefaultImageSize => DeviceDefaults.ImageSize(model.Device);

    protected override void OnInitialized()
    {
        datasets = Catalog.List();
        history = Runs.Store.List().Where(r => r.Status == RunStatus.Completed).Take(5).Select(r => Runs.Get(r.Id)).OfType<RunDetails>().ToList();
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
        if (errors.Count > 0) { estimate = "fix the settings first"; return; }
        // Before its download the photo set's size is known only from TFDS (23,262 usable images).
        int pool = datasets.FirstOrDefault(d => d.Source == model.Data)?.Images ?? (model.Data.StartsWith("petimages") ? 23_262 : 1000);
        teacherReusable = model.ReuseTeacher && Runs.Store.FindTeacherSources(RunRequests.TeacherKey(request.Config)).Count > 0;
        estimate = RunEstimator.Format(RunEstimator.Estimate(request.Config, pool, DefaultImageSize, history, teacherReusable));
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
