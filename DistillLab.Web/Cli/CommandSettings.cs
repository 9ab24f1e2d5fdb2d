using DistillLab.Core.Download;
using DistillLab.Core.Runtime;

namespace DistillLab.Web.Cli;

/// <summary>The settings the command line reads from the top-level appsettings.json (copied beside the app) and DISTILLLAB_ environment variables.</summary>
internal sealed record CommandSettings(TorchSettings Torch, string DataDirectory, DownloadSettings? Download = null)
{
    public static CommandSettings Load()
    {
        var configuration = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true)
            .AddEnvironmentVariables("DISTILLLAB_")
            .Build();
        var torch = configuration.GetSection("Torch").Get<TorchSettings>() ?? new TorchSettings();
        // Relative paths resolve against the current directory: the README's commands run from the repository root.
        var dataDirectory = Path.GetFullPath(configuration["Data:Directory"] ?? "data");
        var download = configuration.GetSection(DownloadSettings.SectionName).Get<DownloadSettings>() ?? new DownloadSettings();
        return new CommandSettings(torch, dataDirectory, download);
    }
}
