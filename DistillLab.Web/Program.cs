using DistillLab.Web.Cli;

// `lab ...` runs the experiment headless and exits; anything else starts the dashboard.
if (args is ["lab", ..])
    return await LabCommand.RunAsync(args[1..]);

var builder = WebApplication.CreateBuilder(args);
var app = builder.Build();
app.Run();
return 0;
