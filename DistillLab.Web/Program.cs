using DistillLab.Web.Cli;
using DistillLab.Web.Hosting;

// `lab ...` runs the experiment headless and exits; anything else starts the dashboard.
if (args is ["lab", ..])
    return await LabCommand.RunAsync(args[1..]);

var builder = WebApplication.CreateBuilder(args);
builder.AddDistillLabSettings().AddDistillLabWeb();
var app = builder.Build();
app.MapDistillLab();
app.Run();
return 0;

/// <summary>Visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
