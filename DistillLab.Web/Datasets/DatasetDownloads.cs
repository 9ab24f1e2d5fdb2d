using DistillLab.Core.Download;
using DistillLab.Web.Settings;
using Microsoft.Extensions.Options;
using DistillLab.Web.Hosting;

namespace DistillLab.Web.Datasets;

/// <summary>Where the dashboard's Cats vs Dogs download stands.</summary>
public enum DownloadState { Idle, Downloading, Verifying, Extracting, Done, Failed, Cancelled }

/// <summary>A snapshot for the page and GET /api/datasets/petimages/download.</summary>
/// <param name="Progress">The latest report of the current (or last) download; null before the first.</param>
/// <param name="Message">Why it failed or that it was cancelled; null otherwise.</param>
/// <param name="CanResume">A .part file is waiting: the next start continues it with a Range request.</param>
/// <param name="Summary">The message in one short sentence for the page's card (the full one can run to several lines
/// with the URL and the .part path); null when there is no message.</param>
public sealed record DownloadStatus(DownloadState State, bool Present, DownloadProgress? Progress, string? Message, bool CanResume, string SizeText,
    string? Summary = null)
{
    public bool IsActive => State is DownloadState.Downloading or DownloadState.Verifying or DownloadState.Extracting;
}

public enum DownloadStart { Started, AlreadyPresent, AlreadyRunning }

/// <summary>Runs at most one Cats vs Dogs download (Core's <see cref="CatsDogsDataset.EnsureAsync"/>) into the configured
/// petimages folder in the background, keeps its latest progress, and tells subscribers when anything changes.</summary>
public sealed class DatasetDownloads : IDisposable
{
    private readonly Lock gate = new();
    private readonly Func<CatsDogsDataset> newDataset;
    private readonly ILogger log;
    // The same mechanism as run events: each subscriber has its own queue, so a slow page never slows the download.
    private readonly EventStream<DownloadStatus> changes;
    private DownloadState state = DownloadState.Idle;
    private DownloadProgress? progress;
    private string? message;
    private string? summary;
    private CancellationTokenSource? cancel;
    private Task? worker;

    /// <param name="newDataset">A CatsDogsDataset per download (the typed HttpClient is transient).</param>
    public DatasetDownloads(Func<CatsDogsDataset> newDataset, IOptions<DataOptions> data, ILogger<DatasetDownloads> logger)
    {
        this.newDataset = newDataset;
        log = logger;
        changes = new EventStream<DownloadStatus>(logger);
        Folder = data.Value.Environment.PetImagesDirectory;
        var settings = newDataset();
        SizeText = settings.DownloadSizeText;
        PartFile = Path.Combine(Folder, settings.Settings.ArchiveFileName + ".part");
    }

    /// <summary>&lt;Data:Directory&gt;/cats_vs_dogs, the folder the petimages source reads by default.</summary>
    public string Folder { get; }
    public string SizeText { get; }
    private string PartFile { get; }

    public DownloadStatus Status
    {
        get
        {
            lock (gate)
                return new DownloadStatus(state, CatsDogsDataset.IsPresent(Folder), progress, message,
                    state is not (DownloadState.Downloading or DownloadState.Verifying or DownloadState.Extracting) && File.Exists(PartFile), SizeText, summary);
        }
    }

    public DownloadStart Start()
    {
        lock (gate)
        {
            if (worker is { IsCompleted: false }) return DownloadStart.AlreadyRunning;
            if (CatsDogsDataset.IsPresent(Folder)) return DownloadStart.AlreadyPresent;
            cancel?.Dispose();
            cancel = new CancellationTokenSource();
            state = DownloadState.Downloading;
            progress = null;
            message = null;
            summary = null;
            var token = cancel.Token;
            // RunAsync catches everything: every outcome ends in a state the page and the API show.
            worker = Task.Run(() => RunAsync(token));
        }
        Notify();
        return DownloadStart.Started;
    }

    /// <summary>Stops the running download; the .part keeps its bytes for the next start. False when none runs.</summary>
    public bool Cancel()
    {
        lock (gate)
        {
            if (worker is not { IsCompleted: false }) return false;
            cancel!.Cancel();
            return true;
        }
    }

    /// <summary>Calls <paramref name="onChanged"/> after every change (from a worker thread: marshal with InvokeAsync).</summary>
    public IDisposable Subscribe(Func<Task> onChanged) => changes.Subscribe(_ => onChanged());

    private async Task RunAsync(CancellationToken ct)
    {
        DownloadState end;
        string? text = null, shortText = null;
        try
        {
            log.LogInformation("Downloading Cats vs Dogs into {Folder}", Folder);
            var dataset = newDataset();
            var result = await dataset.EnsureAsync(Folder, new Reporter(this), keepArchive: false, ct);
            end = DownloadState.Done;
            log.LogInformation("Cats vs Dogs is ready in {Folder} ({Cats} cats, {Dogs} dogs extracted)",
                result.PetImagesFolder, result.Extraction?.Cats, result.Extraction?.Dogs);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            end = DownloadState.Cancelled;
            text = "Download cancelled; the bytes received are kept and the next start resumes from there.";
            shortText = "Download cancelled; Resume continues where it stopped.";
            log.LogInformation("Cats vs Dogs download cancelled");
        }
        catch (Exception e)
        {
            end = DownloadState.Failed;
            text = e.Message;
            shortText = Summarize(e);
            log.LogError(e, "Cats vs Dogs download failed");
        }
        lock (gate)
        {
            state = end;
            message = text;
            summary = shortText;
        }
        Notify();
    }

    /// <summary>"Download failed: " and the root cause (e.g. "Name or service not known (download.microsoft.com:443)"),
    /// at most one sentence of about 120 characters.</summary>
    internal static string Summarize(Exception e)
    {
        var chain = new List<Exception>();
        for (var x = e; x is not null; x = x.InnerException) chain.Add(x);
        // The outermost exception tells the whole story (URL, bytes kept, .part path); the summary names the cause: the
        // innermost exception, or its parent when that repeats it with more detail ("Connection refused (127.0.0.1:9)"
        // from HttpRequestException rather than the socket's bare "Connection refused").
        int at = chain.Count - 1;
        while (at > 1 && chain[at - 1].Message.Contains(chain[at].Message, StringComparison.Ordinal)) at--;
        var reason = chain[at].Message.Trim();
        int stop = reason.IndexOf(". ", StringComparison.Ordinal);
        if (stop > 0) reason = reason[..stop];
        if (reason.Length > 120) reason = reason[..117] + "...";
        return $"Download failed: {reason.TrimEnd('.')}.";
    }

    private void OnProgress(DownloadProgress value)
    {
        lock (gate)
        {
            if (state is DownloadState.Cancelled or DownloadState.Failed or DownloadState.Done) return;
            progress = value;
            state = value.Stage switch
            {
                DownloadStage.Verifying => DownloadState.Verifying,
                DownloadStage.Extracting => DownloadState.Extracting,
                _ => DownloadState.Downloading,
            };
        }
        Notify();
    }

    private void Notify() => changes.Publish(Status);

    public void Dispose()
    {
        changes.StopAsync(CancellationToken.None);
        Task? running;
        lock (gate)
        {
            running = worker;
            if (running is { IsCompleted: false }) cancel!.Cancel();
        }
        // Let the download release its folder lock before the host (or a test) removes the folder.
        running?.Wait(TimeSpan.FromSeconds(10));
        cancel?.Dispose();
    }

    /// <summary>Takes reports on the download's own thread, in order (Progress&lt;T&gt; would post them to the pool).</summary>
    private sealed class Reporter(DatasetDownloads owner) : IProgress<DownloadProgress>
    {
        public void Report(DownloadProgress value) => owner.OnProgress(value);
    }

}
