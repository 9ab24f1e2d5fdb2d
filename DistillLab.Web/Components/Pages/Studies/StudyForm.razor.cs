using DistillLab.Core.Experiments;
using DistillLab.Core.Studies;
using DistillLab.Web.Datasets;
using DistillLab.Web.Studies;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace DistillLab.Web.Components.Pages.Studies;

/// <summary>Defines a study: the space (α and T as lists or ranges, T², seeds, sampler, pruning) and the base run
/// settings. Validation is StudyConfig.Validate through StudyRequests, the same as the API's and the command line's;
/// α and T are typed as the command line takes them (0.05,0.5,0.9 or min:max:count[:log]).</summary>
public partial class StudyForm
{
    [Inject] private StudyRequests Requests { get; set; } = default!;
    [Inject] private DatasetCatalog Catalog { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;

    /// <summary>The queued or running study Cancel stops; null disables it.</summary>
    [Parameter] public string? CancellableStudyId { get; set; }
    [Parameter] public EventCallback<StudyDetails> OnSubmitted { get; set; }

    private StudyConfig study = new() { Base = new LabConfig { ImageSize = 64 } };
    private LabConfig Base => study.Base;
    private string alphaText = "0.05,0.5,0.9", temperatureText = "1,5,10";
    private Dictionary<string, string> errors = [];
    private IReadOnlyList<DatasetInfo> datasets = [];
    private bool submitting, moreOpen;

    /// <summary>What Start would submit now (null while α or T does not parse).</summary>
    public StudyConfig? Config => errors.ContainsKey("alpha") && !StudyValues.TryParse(alphaText, out _, out _) ? null : study;

    protected override void OnInitialized()
    {
        datasets = Catalog.List();
        Revalidate();
    }

    private bool Has(string field) => errors.ContainsKey(field);
    private string? Error(string field) => errors.GetValueOrDefault(field);
    private Func<T, string?> Check<T>(string field) => _ => Error(field);

    private void Edit(Func<StudyConfig, StudyConfig> change)
    {
        study = change(study);
        Revalidate();
    }

    private void EditBase(Func<LabConfig, LabConfig> change) => Edit(s => s with { Base = change(s.Base) });

    private void SetAlpha(string text)
    {
        alphaText = text;
        Revalidate();
    }

    private void SetTemperature(string text)
    {
        temperatureText = text;
        Revalidate();
    }

    private void SetSampler(string sampler) => Edit(s => s with { Sampler = sampler, Trials = sampler == "random" ? s.Trials ?? 4 : null });

    private void Revalidate()
    {
        var parseErrors = new Dictionary<string, string>();
        if (StudyValues.TryParse(alphaText, out var alpha, out var alphaError)) study = study with { Alpha = alpha! };
        else parseErrors["alpha"] = $"alpha must be {alphaError}";
        if (StudyValues.TryParse(temperatureText, out var temperature, out var temperatureError)) study = study with { Temperature = temperature! };
        else parseErrors["temperature"] = $"temperature must be {temperatureError}";
        errors = Requests.Validate(study).GroupBy(e => e.Field).ToDictionary(g => g.Key, g => string.Join(" ", g.Select(e => $"{e.Field} {e.Message}")));
        foreach (var (field, message) in parseErrors) errors[field] = message;
    }

    private string MoreTitle => string.Create(System.Globalization.CultureInfo.InvariantCulture,
        $"More settings: {Base.ImageSize ?? 64} px, {(Base.Limit is { } l ? $"{l:N0} images" : "all images")}, batch {Base.BatchSize}, lr {Base.LearningRate}, base seed {Base.Seed}, {Base.Device}");

    private bool MoreExpanded => moreOpen || errors.Keys.Any(f => f is "imageSize" or "limit" or "batchSize" or "learningRate" or "seed" or "device" or "adamEpsilon");

    private async Task Start()
    {
        submitting = true;
        try
        {
            var result = Requests.Submit(study);
            if (result.Unavailable is { } busy) Snackbar.Add(busy, Severity.Warning);
            else if (result.QueueFull) Snackbar.Add("The study queue is full; wait for a study to finish or cancel one.", Severity.Warning);
            else if (!result.Accepted) errors = result.Errors.GroupBy(e => e.Field).ToDictionary(g => g.Key, g => $"{g.Key} {g.First().Message}");
            else
            {
                var started = result.Study!;
                Snackbar.Add($"Study {started.Id} queued: {started.TrialCount} trials.", Severity.Success);
                await OnSubmitted.InvokeAsync(started);
            }
        }
        finally { submitting = false; }
    }

    private void Cancel()
    {
        if (CancellableStudyId is { } id && Requests.Cancel(id)) Snackbar.Add($"Cancelling study {id}.", Severity.Info);
    }
}
