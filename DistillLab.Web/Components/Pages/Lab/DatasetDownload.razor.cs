using DistillLab.Web.Datasets;
using Microsoft.AspNetCore.Components;

namespace DistillLab.Web.Components.Pages.Lab;

/// <summary>Offers the Cats vs Dogs download while the petimages set is absent, shows its progress with a Cancel button,
/// and after a cancel or failure the message and a Resume button. Every open tab sees the one shared download.</summary>
public partial class DatasetDownload : IDisposable
{
    /// <summary>Raised once when a download finishes, so the form can list the new data set.</summary>
    [Parameter] public EventCallback OnCompleted { get; set; }

    private DownloadStatus status = null!;
    private IDisposable? subscription;

    protected override void OnInitialized() => status = Downloads.Status;

    protected override Task OnAfterRenderAsync(bool firstRender)
    {
        if (!firstRender) return Task.CompletedTask;
        subscription = Downloads.Subscribe(OnChanged);
        // A change between the first render and the subscription would otherwise go unseen.
        return OnChanged();
    }

    private Task OnChanged() => InvokeAsync(async () =>
    {
        var before = status;
        status = Downloads.Status;
        if (status == before) return;
        if (status.State == DownloadState.Done && before.State != DownloadState.Done) await OnCompleted.InvokeAsync();
        StateHasChanged();
    });

    private void Start()
    {
        Downloads.Start();
        status = Downloads.Status;
    }

    private void Cancel() => Downloads.Cancel();

    public void Dispose() => subscription?.Dispose();
}
