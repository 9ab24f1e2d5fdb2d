using System.Globalization;
using DistillLab.Web.Runs;
using DistillLab.Web.Studies;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace DistillLab.Web.Components.Pages.Studies;

/// <summary>The Studies page: define a study, follow it live (heat map, curves, table) through the one event stream,
/// and read the verdict when it is done. Shows ?id=, else the running or next study, else the newest.</summary>
public partial class Studies : IDisposable
{
    [Inject] private StudyRegistry Registry { get; set; } = default!;
    [Inject] private RunEventStream Events { get; set; } = default!;
    [SupplyParameterFromQuery(Name = "id")] public string? Id { get; set; }

    private StudyDetails? study;
    private IReadOnlyList<StudyDetails> earlier = [];
    private IDisposable? subscription;

    protected override void OnParametersSet()
    {
        earlier = Recent();
        study = Id is { } id ? Registry.Get(id) : Shown();
    }

    private StudyDetails? Shown()
    {
        var pick = Registry.Running()?.Id ?? earlier.LastOrDefault(s => s.IsActive)?.Id ?? earlier.FirstOrDefault()?.Id;
        return pick is null ? null : Registry.Get(pick);
    }

    protected override void OnAfterRender(bool firstRender)
    {
        if (firstRender) subscription = Events.Subscribe(OnEvent);
    }

    private Task OnEvent(RunEvent e)
    {
        // The study on screen, its models' epochs and stages; a study that starts while none is shown active.
        bool follow = e.RunId == study?.Id && e is StudyEvent or EpochCompletedEvent or PhaseStartedEvent or RunChangedEvent or BatchProgressEvent
                      || (e is StudyStartedEvent or StudyQueuedEvent && study is not { IsActive: true } && Id is null);
        // Any study's change of status, shown or not, changes its line in the list.
        bool listed = e is StudyQueuedEvent or StudyStartedEvent or StudyCompletedEvent or StudyFailedEvent or StudyCancelledEvent;
        if (!follow && !listed) return Task.CompletedTask;
        return InvokeAsync(() =>
        {
            if (listed) earlier = Recent();
            if (follow) study = Registry.Get(e.RunId);
            StateHasChanged();
        });
    }

    private void OnSubmitted(StudyDetails submitted)
    {
        if (study is not { IsActive: true }) study = Registry.Get(submitted.Id);
        earlier = Recent();
    }

    /// <summary>The studies listed under the form: the ten newest.</summary>
    private List<StudyDetails> Recent() => Registry.List().Take(10).ToList();

    private static string TeacherText(StudyTeacher t) =>
        $"seed {t.Seed} {t.TestAccuracy.ToString("P1", CultureInfo.InvariantCulture)}{(t.Reused ? $" (reused from {t.ReusedFrom})" : "")}";

    private static Color StatusColor(StudyStatus status) => status switch
    {
        StudyStatus.Completed => Color.Success,
        StudyStatus.Running => Color.Info,
        StudyStatus.Failed => Color.Error,
        StudyStatus.Cancelled => Color.Warning,
        _ => Color.Default,
    };

    public void Dispose() => subscription?.Dispose();
}
