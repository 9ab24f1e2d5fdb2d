using DistillLab.Core.Experiments;
using DistillLab.Web.Datasets;
using DistillLab.Web.Estimates;
using DistillLab.Web.Runs;
using Microsoft.AspNetCore.Components;
using DistillLab.Core.Training;

namespace DistillLab.Web.Components.Pages.Lab;

/// <summary>Estimates the form's run with <see cref="RunEstimates"/> (measured speeds, reused models left out) and
/// asks again when a run ends: its epochs are a better figure, and a measurement put off during it can run now.</summary>
public partial class RunEstimateNote : IDisposable
{
    [Inject] private RunEstimates Estimates { get; set; } = default!;
    [Inject] private RunEventStream Events { get; set; } = default!;

    [Parameter, EditorRequired] public RunRequest Request { get; set; } = default!;
    [Parameter] public IReadOnlyList<DatasetInfo> Datasets { get; set; } = [];
    /// <summary>False while a field is invalid: no estimate then.</summary>
    [Parameter] public bool SettingsValid { get; set; } = true;

    private string text = "";
    private string? source, breakdown;
    private Task? measuring;
    private IDisposable? subscription;

    protected override Task OnParametersSetAsync() => UpdateAsync();

    protected override void OnAfterRender(bool firstRender)
    {
        if (firstRender) subscription = Events.Subscribe(OnEvent);
    }

    private Task OnEvent(RunEvent e) => e is RunCompletedEvent or RunFailedEvent or RunCancelledEvent
        ? InvokeAsync(async () => { await UpdateAsync(); StateHasChanged(); })
        : Task.CompletedTask;

    private async Task UpdateAsync()
    {
        Refresh();
        // The measurement runs on the thread pool; awaiting it here keeps the circuit free, with "measuring…" on screen.
        while (measuring is { } pending)
        {
            StateHasChanged();
            try { await pending; }
            catch (Exception) { } // a failed measurement is reported by the next Refresh
            Refresh();
        }
    }

    private void Refresh()
    {
        (source, breakdown, measuring) = (null, null, null);
        if (!SettingsValid)
        {
            text = "fix the settings first";
            return;
        }
        var answer = Estimates.Estimate(Request, PoolImages(Request.Config.Data));
        measuring = answer.Measuring;
        if (answer.Estimate is not { } estimate)
        {
            text = answer.Pending ?? "";
            return;
        }
        text = DurationText.About(estimate.Total) + Reused(estimate.Reused);
        var speed = estimate.Speed;
        source = $"Speeds {(estimate.SpeedSource == "measured here" ? "measured here" : "from " + estimate.SpeedSource)}: " +
                 $"teacher {speed.TeacherImagesPerSecond:F0}, student {speed.StudentImagesPerSecond:F0} img/s";
        var p = estimate.Phases;
        breakdown = $"Teacher {Seconds(p.Teacher)}, scratch student {Seconds(p.Scratch)}, distilled student {Seconds(p.Distilled)}, " +
                    $"loading data {Seconds(estimate.Loading)}, saving models and predictions {Seconds(estimate.Finishing)} " +
                    $"({estimate.OverheadSource}).";
    }

    // Before its download the photo set's size is known only from TFDS (23,262 usable images).
    private int PoolImages(string data) =>
        Datasets.FirstOrDefault(d => d.Source == data)?.Images ?? (data.StartsWith("petimages", StringComparison.Ordinal) ? 23_262 : 1000);

    private static string Seconds(TimeSpan t) => $"{t.TotalSeconds:F0} s";

    private static string Reused(IReadOnlyList<ModelRole> roles) => (roles.Contains(ModelRole.Teacher), roles.Contains(ModelRole.StudentScratch)) switch
    {
        (true, true) => " (teacher and scratch student reused)",
        (true, false) => " (teacher reused)",
        (false, true) => " (scratch student reused)",
        _ => "",
    };

    public void Dispose() => subscription?.Dispose();
}
