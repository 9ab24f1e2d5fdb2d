using Bunit;
using DistillLab.Core.Download;
using DistillLab.Core.Experiments;
using DistillLab.Web.Settings;
using DistillLab.Web.Datasets;
using DistillLab.Web.Estimates;
using DistillLab.Web.Predictions;
using DistillLab.Web.Runs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MudBlazor.Services;

namespace DistillLab.Tests.Support;

/// <summary>A bUnit context with MudBlazor, loose JS interop (Plotly's calls are recorded, not run) and the dashboard's services over a temp data folder.</summary>
public sealed class ComponentTestContext : BunitContext
{
    // A wait ends as soon as its condition holds; the limit only matters when the machine is loaded (2 cores shared
    // with builds), where bUnit's 1 s default and our old 5 s limits failed tests whose pages were merely slow.
    static ComponentTestContext() => DefaultWaitTimeout = TimeSpan.FromSeconds(30);

    /// <param name="download">Where the Cats vs Dogs download would come from; the release by default (never fetched unless a test clicks).</param>
    public ComponentTestContext(DownloadSettings? download = null)
    {
        DataDirectory = Path.Combine(Path.GetTempPath(), "distilllab-bunit-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(DataDirectory);
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
        var data = Options.Create(new DataOptions { Directory = DataDirectory, Roots = [DataDirectory] });
        var dashboard = Options.Create(new DashboardOptions());
        Store = new RunStore(data);
        var journal = new RunJournal(Store, NullLogger<RunJournal>.Instance);
        Artifacts = new RunArtifacts(data, dashboard, journal);
        Registry = new RunRegistry(Store, journal, Artifacts);
        Events = new RunEventStream(NullLogger<RunEventStream>.Instance);
        Services.AddSingleton(Store);
        Services.AddSingleton(Registry);
        Services.AddSingleton(Events);
        // The Lab reads a study's best setting (?study=); no study runs in component tests.
        var studyStore = new StudyStore(Store, journal);
        var studies = new DistillLab.Web.Studies.StudyRegistry(studyStore);
        Services.AddSingleton(studies);
        Services.AddSingleton(new RunLabels(Registry, Events));
        Services.AddSingleton(journal);
        Services.AddSingleton(new DatasetCatalog(data));
        Services.AddSingleton(new DarkKnowledgeService(Registry));
        Services.AddSingleton(Artifacts);
        var reuse = new ModelReuse(Store, Artifacts);
        Services.AddSingleton(reuse);
        // Components never train here: a measurement returns MeasuredSpeed (once MeasureGate is open) and is counted.
        var estimates = new RunEstimates(Registry, reuse, new ThroughputMeter((_, _, _) =>
        {
            Interlocked.Increment(ref measurements);
            MeasureGate.Wait(TimeSpan.FromSeconds(30));
            return MeasuredSpeed;
        }), dashboard);
        Services.AddSingleton(estimates);
        // The Studies form submits through StudyRequests; nothing dequeues here, so a submitted study stays queued.
        var runRequests = new RunRequests(Registry, Events, dashboard, data);
        Services.AddSingleton(runRequests);
        Services.AddSingleton(new DistillLab.Web.Studies.StudyRequests(studies, runRequests, new DistillLab.Web.Training.TrainingQueue(), Events, dashboard));
        Services.AddSingleton(new DistillLab.Web.Studies.StudyEstimates(estimates,
            new DistillLab.Web.Studies.StudyTeacherLookup(reuse, new DistillLab.Web.Studies.StudyTeachers(studyStore, data)), studies));
        var settings = download ?? new DownloadSettings();
        Downloads = new DatasetDownloads(() => new CatsDogsDataset(DownloadHttp, settings), data, NullLogger<DatasetDownloads>.Instance);
        Services.AddSingleton(Downloads);
        Services.AddSingleton<IOptions<DashboardOptions>>(dashboard);
        Services.AddSingleton<IOptions<DataOptions>>(data);
        Events.StartAsync(CancellationToken.None).GetAwaiter().GetResult();
    }

    public string DataDirectory { get; }
    public RunArtifacts Artifacts { get; }
    /// <summary>What the form's throughput measurement returns in component tests.</summary>
    public Throughput MeasuredSpeed { get; set; } = new(200, 250);
    /// <summary>Reset it to hold measurements in progress until it is set again.</summary>
    public ManualResetEventSlim MeasureGate { get; } = new(initialState: true);
    /// <summary>How many throughput measurements components asked for.</summary>
    public int Measurements => Volatile.Read(ref measurements);
    private int measurements;
    public RunStore Store { get; }
    public RunRegistry Registry { get; }
    public RunEventStream Events { get; }
    public DatasetDownloads Downloads { get; }
    private HttpClient DownloadHttp { get; } = new();

    // MudBlazor's services are IAsyncDisposable only, so the context must be disposed with `await using`.
    protected override async ValueTask DisposeAsyncCore()
    {
        MeasureGate.Set();
        await Events.StopAsync(CancellationToken.None);
        Downloads.Dispose();
        DownloadHttp.Dispose();
        await base.DisposeAsyncCore();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(DataDirectory, recursive: true); } catch (IOException) { }
    }
}
