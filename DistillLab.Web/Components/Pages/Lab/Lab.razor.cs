using DistillLab.Core.Experiments;
using DistillLab.Web.Runs;
using DistillLab.Web.Studies;
using Microsoft.AspNetCore.Components;
using DistillLab.Core.Training;

namespace DistillLab.Web.Components.Pages.Lab;

/// <summary>The home page: settings, the current run's status, live charts, and results when it is done.
/// Every open tab follows the current run through the in-process event stream.</summary>
public partial class Lab : IDisposable
{
    private RunDetails? run;
    private IDisposable? subscription;
    private readonly IReadOnlyList<ChartSeries> accuracySeries = ChartSeries.Accuracy(ModelRoles.All);
    private readonly IReadOnlyList<ChartSeries> lossSeries = ChartSeries.Loss(ModelRoles.All);
    private readonly IReadOnlyList<ChartSeries> labPlotSeries = ChartSeries.Accuracy(ModelRole.StudentDistilled, ModelRole.StudentScratch);
    private readonly IReadOnlyList<ChartSeries> combinedSeries = ChartSeries.CombinedLoss(scaledByTemperatureSquared: false);
    private readonly IReadOnlyList<ChartSeries> combinedSeriesT2 = ChartSeries.CombinedLoss(scaledByTemperatureSquared: true);

    // The same list instance per setting, so a re-render hands the chart unchanged parameters.
    private IReadOnlyList<ChartSeries> CombinedSeries => run?.Config.ScaleByTemperatureSquared == true ? combinedSeriesT2 : combinedSeries;

    // The form starts from the run on screen when the page opens, and keeps its own values after that.
    private RunDetails? startFrom;

    /// <summary>A study whose best setting the form starts from ("Open in Lab" on the Studies page).</summary>
    [SupplyParameterFromQuery(Name = "study")] public string? StudyId { get; set; }
    [Inject] private StudyRegistry Studies { get; set; } = default!;

    protected override void OnInitialized()
    {
        startFrom = run = Runs.Current();
        if (StudyId is { } id && Studies.Get(id) is { Best: { } best } study)
        {
            // The study's base settings with its best α, T and T², on its base seed: the run the verdict speaks of.
            var config = study.Config.Base with { Alpha = best.Alpha, Temperature = best.Temperature, ScaleByTemperatureSquared = best.ScaleByTemperatureSquared };
            startFrom = new RunDetails("", RunStatus.Completed, config, ReuseTeacher: true, DateTimeOffset.UtcNow);
        }
    }

    protected override void OnAfterRender(bool firstRender)
    {
        if (firstRender) subscription = Events.Subscribe(OnEvent);
    }

    private Task OnEvent(RunEvent e)
    {
        // Follow the run on screen; switch to another run when it starts, or when it is queued while nothing is active.
        bool follow = e.RunId == run?.Id || e is RunStartedEvent || (e is RunQueuedEvent && run is not { IsActive: true });
        if (!follow) return Task.CompletedTask;
        return InvokeAsync(() =>
        {
            run = Runs.Get(e.RunId) ?? Runs.Current();
            StateHasChanged();
        });
    }

    private void OnSubmitted(RunDetails submitted)
    {
        if (run is not { IsActive: true }) run = Runs.Get(submitted.Id);
    }

    public void Dispose() => subscription?.Dispose();
}
