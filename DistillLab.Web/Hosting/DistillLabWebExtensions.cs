using DistillLab.Core.Download;
using DistillLab.Web.Api;
using DistillLab.Web.Components;
using DistillLab.Web.Hubs;
using DistillLab.Web.Jobs;
using DistillLab.Web.Settings;
using DistillLab.Web.Datasets;
using DistillLab.Web.Estimates;
using DistillLab.Web.Predictions;
using DistillLab.Web.Runs;
using DistillLab.Web.Studies;
using DistillLab.Web.Training;
using Microsoft.Extensions.Options;
using MudBlazor.Services;

namespace DistillLab.Web.Hosting;

public static class DistillLabWebExtensions
{
    /// <summary>Loads the one appsettings.json from beside the app (the repository root's copy), whatever the content root,
    /// and the DISTILLLAB_ environment variables every verb reads (SettingsSources).</summary>
    public static WebApplicationBuilder AddDistillLabSettings(this WebApplicationBuilder builder)
    {
        builder.Configuration.AddDistillLabSources();
        return builder;
    }

    /// <summary>Settings, the training service and its event stream, the hub, the API's JSON shape, and the Blazor UI.</summary>
    public static WebApplicationBuilder AddDistillLabWeb(this WebApplicationBuilder builder)
    {
        // Serve MudBlazor's and Plotly's files from their packages under `dotnet run` in any environment,
        // not only Development (a published app has them in wwwroot and ignores this).
        builder.WebHost.UseStaticWebAssets();
        var services = builder.Services;
        var jobs = JobsSettings.From(builder.Configuration);
        services.AddDistillLabServices(jobs);
        services.AddOptions<SecurityOptions>().BindConfiguration(SecurityOptions.Section);
        services.AddHostedService<ExposureWarning>();
        services.AddHostedService<TrainingHubRelay>();
        // The embedded engine's training thread; under postgres runs and studies go to workers (Jobs/) and it stays idle.
        services.AddHostedService<TrainingService>();

        services.AddProblemDetails();
        services.ConfigureHttpJsonOptions(o => JsonDefaults.Apply(o.SerializerOptions));
        services.AddSignalR().AddJsonProtocol(o => JsonDefaults.Apply(o.PayloadSerializerOptions));

        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddMudServices(mud =>
        {
            // Bottom right and short-lived: during a quick retune they stacked over the status and charts (top right),
            // and bottom left would cover Start. No lower cap on how many show: a capped message waits its turn, and
            // "queued (2nd in line)" must answer the click that caused it at once.
            mud.SnackbarConfiguration.PositionClass = MudBlazor.Defaults.Classes.Position.BottomRight;
            mud.SnackbarConfiguration.VisibleStateDuration = 4000;
        });
        return builder;
    }

    /// <summary>The run and study services without the web: what the dashboard and the worker verb share.</summary>
    public static IServiceCollection AddDistillLabServices(this IServiceCollection services, JobsSettings jobs)
    {
        services.AddOptions<DataOptions>().BindConfiguration(DataOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<DashboardOptions>().BindConfiguration(DashboardOptions.Section).ValidateDataAnnotations().ValidateOnStart();

        services.AddDistillLabStorage();
        services.AddSingleton<RunJournal>();
        services.AddSingleton<RunRegistry>();
        services.AddSingleton<RunArtifacts>();
        services.AddSingleton<ModelReuse>();
        services.AddSingleton<ThroughputMeter>();
        services.AddSingleton<RunEstimates>();
        services.AddSingleton<TrainingQueue>();
        services.AddSingleton<RunRequests>();
        services.AddSingleton<StudyStore>();
        services.AddSingleton<StudyRegistry>();
        services.AddSingleton<StudyTeachers>();
        services.AddSingleton<StudyBestModels>();
        services.AddSingleton<StudyTeacherLookup>();
        services.AddSingleton<StudyRequests>();
        services.AddSingleton<StudyExecution>();
        services.AddSingleton<StudyEstimates>();
        services.AddSingleton<IStudyEngine, StudyEngine>();
        services.AddSingleton<RunLabels>();
        services.AddSingleton<UploadDecoder>();
        services.AddSingleton<PredictionService>();
        services.AddSingleton<DarkKnowledgeService>();
        services.AddSingleton<DatasetCatalog>();
        services.AddOptions<DownloadSettings>().BindConfiguration(DownloadSettings.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<DownloadSettings>>().Value);
        services.AddHttpClient<CatsDogsDataset>();
        services.AddSingleton(sp => new DatasetDownloads(sp.GetRequiredService<CatsDogsDataset>,
            sp.GetRequiredService<IOptions<DataOptions>>(), sp.GetRequiredService<ILogger<DatasetDownloads>>()));
        services.AddSingleton<ILabEngine, LabEngine>();
        services.AddSingleton<RunExecution>();
        services.AddSingleton<RunEventStream>();
        services.AddHostedService(sp => sp.GetRequiredService<RunEventStream>());
        services.AddJobsOptions();
        services.AddDistillLabJobs(jobs);
        return services;
    }

    public static WebApplication MapDistillLab(this WebApplication app)
    {
        app.UseMiddleware<CrossSiteGuard>();
        if (!app.Environment.IsDevelopment()) app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseAntiforgery();
        app.MapStaticAssets();
        app.MapDistillLabApi();
        app.MapHub<TrainingHub>("/hubs/training");
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        return app;
    }
}
