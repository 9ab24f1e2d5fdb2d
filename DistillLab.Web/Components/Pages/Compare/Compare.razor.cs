using DistillLab.Core.Experiments;
using DistillLab.Web.Runs;
using Microsoft.AspNetCore.Components;
using DistillLab.Core.Training;

namespace DistillLab.Web.Components.Pages.Compare;

/// <summary>Up to six runs side by side: one chart of a chosen per-epoch metric, the settings that differ and the
/// results. The address (/compare?runs=a,b&amp;metric=loss) names the comparison, so it can be shared.</summary>
public partial class Compare : IDisposable
{
    [Inject] private RunRegistry Registry { get; set; } = default!;
    [Inject] private RunEventStream Events { get; set; } = default!;
    [Inject] private NavigationManager Navigation { get; set; } = default!;

    [SupplyParameterFromQuery(Name = "runs")] public string? RunIds { get; set; }
    [SupplyParameterFromQuery(Name = "metric")] public string? MetricKey { get; set; }

    private IReadOnlyList<RunDetails> history = [];
    private CompareSelection selection = CompareSelection.Empty;
    private IReadOnlyCollection<string> pickerValues = [];
    private CompareMetric metric = CompareMetric.Accuracy;
    private readonly HashSet<ModelRole> models = [ModelRole.StudentScratch, ModelRole.StudentDistilled];
    private readonly HashSet<CompareSplit> splits = [CompareSplit.Validation];
    private IReadOnlyList<CompareCurve> curves = [];
    private string? refused;
    private int version;
    private IDisposable? subscription;

    private string chartKey => $"{metric.Key}|{string.Join(',', models.Order())}|{string.Join(',', splits.Order())}|{version}";

    private string MetricNote => metric.DistilledTrainOnly
        ? $"{metric.Label} is one of the two terms of the distilled student's loss, averaged over its training batches; the other models have none."
        : metric == CompareMetric.Loss && models.Contains(ModelRole.StudentDistilled) && splits.Contains(CompareSplit.Train)
            ? "The distilled student's train loss is its combined loss, α·student_loss + (1 − α)·distillation_loss, not plain cross-entropy."
            : "Validation solid, train thin with open markers; teacher dotted, scratch dashed, distilled solid; grey: a curve several runs share.";

    protected override void OnParametersSet()
    {
        metric = CompareMetric.Parse(MetricKey);
        Load();
    }

    private void Load()
    {
        history = Registry.List();
        selection = CompareSelection.Resolve(RunIds, Registry.Get);
        pickerValues = selection.Runs.Select(r => r.Id).ToList();
        curves = CompareCurves.Build(selection.Runs, metric, models, splits);
        version++;
    }

    protected override void OnAfterRender(bool firstRender)
    {
        if (firstRender) subscription = Events.Subscribe(OnEvent);
    }

    // Compared runs that are still training gain epochs; a rename or delete changes names and the picker.
    private Task OnEvent(RunEvent e) => e is BatchProgressEvent
        ? Task.CompletedTask
        : InvokeAsync(() => { Load(); StateHasChanged(); });

    private void Pick(IEnumerable<string>? values)
    {
        var chosen = values?.ToList() ?? [];
        var current = selection.Runs.Select(r => r.Id).ToList();
        if (chosen.Count > CompareSelection.MaxRuns)
        {
            refused = $"Compare takes at most {CompareSelection.MaxRuns} runs: untick one before adding another.";
            pickerValues = current.ToList(); // a new list, so the picker drops the refused tick
            return;
        }
        refused = null;
        // Keep the order runs were added in: it decides their colours.
        var ordered = current.Where(chosen.Contains).Concat(chosen.Where(id => !current.Contains(id)));
        Navigation.NavigateTo(CompareSelection.Url(ordered, metric.Key));
    }

    private static string PickerText(IReadOnlyList<string> ids) => ids.Count == 0 ? "" : $"{ids.Count} run{(ids.Count == 1 ? "" : "s")}";

    private void ChooseMetric(string key) => Navigation.NavigateTo(CompareSelection.Url(selection.Runs.Select(r => r.Id), key));

    private void Toggle<T>(HashSet<T> set, T item, bool on)
    {
        if (on) set.Add(item); else set.Remove(item);
        curves = CompareCurves.Build(selection.Runs, metric, models, splits);
    }

    public void Dispose() => subscription?.Dispose();
}
