using DistillLab.Web.Cli;
using DistillLab.Web.Hosting;
using DistillLab.Web.Settings;
using DistillLab.Web.Runs;

// `lab ...` runs the experiment headless, `study ...` a study, `bench ...` the training benchmark and `worker` trains jobs; anything else starts the dashboard.
if (args is ["lab", ..])
    return await LabCommand.RunAsync(args[1..]);
if (args is ["bench", ..])
    return BenchCommand.Run(args[1..], Console.Out, Console.Error);
if (args is ["worker", ..])
    return await WorkerCommand.RunAsync(args[1..]);
if (args is ["study", ..])
    return StudyCommand.Run(args[1..], Console.Out, Console.Error);
if (CommandLine.UnknownVerb(args) is { } unknown)
{
    // A mistyped verb ("stduy") used to start the dashboard on port 5080 without a word.
    Console.Error.WriteLine(unknown);
    return 2;
}

var builder = WebApplication.CreateBuilder(args);
builder.AddDistillLabSettings().AddDistillLabWeb();
var app = builder.Build();
app.MapDistillLab();
try
{
    // Opened before the host starts, so an unusable data folder or database is one line a person can act on, not a stack trace.
    app.Services.GetRequiredService<RunRegistry>();
}
catch (Exception e) when (e is DataFolderException or DistillLab.Web.Runs.RunHistory.HistoryDatabaseException)
{
    Console.Error.WriteLine($"DistillLab cannot start: {e.Message}");
    return 1;
}
app.Run();
return 0;

/// <summary>Visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
