using DistillLab.Core.Experiments;
using System.Globalization;
using DistillLab.Web.Datasets;
using DistillLab.Web.Runs;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace DistillLab.Web.Components.Pages.Lab;

/// <summary>The Lab page's settings form. Validation is LabConfig.Validate (through RunRequests), shown per field;
/// Start stays disabled while any field is invalid.</summary>
public partial class RunForm
{
    /// <summary>The queued or running run the Cancel button stops; null disables it.</summary>
    [Parameter] public string? CancellableRunId { get; set; }
    [Parameter] public EventCallback<RunDetails> OnSubmitted { get; set; }
    /// <summary>The run the form starts from (the one on screen), so coming back to the Lab continues the retune
    /// where it was; null starts from the lab's defaults. Read once, when the form is created.</summary>
    [Parameter] public RunDetails? StartFrom { get; set; }

    // The form edits a RunRequest (LabConfig plus the reuse switch) with `with`: a new setting needs only its one input.
    private RunRequest request = new(new LabConfig());
    private LabConfig config => request.Config;
    private Dictionary<string, string> errors = [];
    private IReadOnlyList<DatasetInfo> datasets = [];
    private bool submitting;
    private bool advancedOpen;

    /// <summary>What Start would submit now, for tests and the page.</summary>
    public RunRequest Request => request;

    private int DefaultImageSize => DeviceDefaults.ImageSize(config.Device);

    protected override void OnInitialized()
    {
        if (StartFrom is { } run) request = new RunRequest(run.Config with { TeacherPath = null, ScratchPath = null }, run.ReuseTeacher);
        datasets = Catalog.List();
        Revalidate();
    }

    /// <summary>After the Cats vs Dogs download: petimages now has its image count, and the estimate uses it.</summary>
    private void RefreshDatasets()
    {
        datasets = Catalog.List();
        Revalidate();
    }

    private bool Has(string field) => errors.ContainsKey(field);
    private string? Error(string field) => errors.GetValueOrDefault(field);

    /// <summary>The field's current message, handed to MudBlazor as the field's own validation.</summary>
    /// <remarks>Error/ErrorText alone do not keep a message on a MudNumericField: the field has a built-in validation
    /// (it clamps to Min/Max and reports no error), and when it runs on blur it overwrites the Error and ErrorText it
    /// was given with "no error". The form's Error parameter is unchanged, so it is not re-applied: the message vanished
    /// while Start stayed disabled. As the field's Validation, the form's message survives every validation pass.</remarks>
    private Func<T, string?> Check<T>(string field) => _ => Error(field);

    // Everything but these sits behind "More settings", which opens by itself while one of its fields is invalid;
    // named this way round, a new setting's field needs no entry here.
    private static readonly string[] MainFields = ["data", "alpha", "temperature", "scaleByTemperatureSquared", "teacherEpochs", "studentEpochs"];
    /// <summary>Open when asked, and whenever one of its fields is invalid, so no message is hidden.</summary>
    // The select's empty choice stands for "the source's default", which LabConfig spells null.
    private void SetResize(string value) => Edit(c => c with { Resize = value.Length == 0 ? null : value });
    private void SetSplit(string value) => Edit(c => c with { Split = value == "seeded" ? null : value });

    private void Edit(Func<LabConfig, LabConfig> change) => EditRequest(r => r with { Config = change(r.Config) });

    private void EditRequest(Func<RunRequest, RunRequest> change)
    {
        request = change(request);
        Revalidate();
    }

    private bool AdvancedExpanded => advancedOpen || errors.Keys.Any(name => !MainFields.Contains(name));

    /// <summary>The collapsed panel's header says what it holds, so the values are visible without opening it.</summary>
    private string AdvancedTitle => string.Create(CultureInfo.InvariantCulture,
        $"More settings: {config.ImageSize ?? DefaultImageSize} px, {(config.Limit is { } l ? $"{l:N0} images" : "all images")}, batch {config.BatchSize}, lr {config.LearningRate}, seed {config.Seed}, {config.Device}, {(request.ReuseTeacher ? "reuse models" : "train every model")}");

    /// <summary>petimages is listed before its download but cannot be chosen until the photos are there.</summary>
    private static bool IsMissingPetImages(DatasetInfo d) => d.Source == "petimages" && d.Images is null;

    private void Revalidate()
    {
        errors = Requests.Validate(request.Config).GroupBy(e => e.Field).ToDictionary(g => g.Key, g => $"{g.Key} {g.First().Message}");
    }

    private async Task Start()
    {
        submitting = true;
        try
        {
            var result = Requests.Submit(request);
            if (result.Unavailable is { } busy) Snackbar.Add(busy, Severity.Warning);
            else if (result.QueueFull) Snackbar.Add("The run queue is full; wait for a run to finish or cancel one.", Severity.Warning);
            else if (!result.Accepted) errors = result.Errors.ToDictionary(e => e.Field, e => $"{e.Field} {e.Message}");
            else
            {
                var run = result.Run!;
                // QueuePosition counts waiting runs only: behind a training run the new one is 1st in the queue, 2nd in line.
                if (Runs.PlaceInLine(run.Id) is > 1 and var place)
                    Snackbar.Add($"Run {run.Id} queued ({QueueText.Ordinal(place)} in line): it starts when the runs ahead of it finish.", Severity.Info);
                else Snackbar.Add($"Run {run.Id} started.", Severity.Success);
                await OnSubmitted.InvokeAsync(run);
            }
        }
        finally { submitting = false; }
    }

    private void Cancel()
    {
        if (CancellableRunId is { } id && Requests.Cancel(id)) Snackbar.Add($"Cancelling run {id}.", Severity.Info);
    }
}
