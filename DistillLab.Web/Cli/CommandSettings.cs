using DistillLab.Core.Download;
using DistillLab.Core.Runtime;
using DistillLab.Web.Settings;

namespace DistillLab.Web.Cli;

/// <summary>The settings the command line reads: the top-level appsettings.json (copied beside the app) and DISTILLLAB_
/// environment variables, from the same sources as every verb (SettingsSources).</summary>
internal sealed record CommandSettings(TorchSettings Torch, string DataDirectory, DownloadSettings? Download = null)
{
    public static CommandSettings Load()
    {
        var configuration = SettingsSources.Load();
        var torch = configuration.GetSection("Torch").Get<TorchSettings>() ?? new TorchSettings();
        // Relative paths resolve against the current directory: the README's commands run from the repository root.
        var dataDirectory = Path.GetFullPath(configuration["Data:Directory"] ?? "data");
        var download = configuration.GetSection(DownloadSettings.SectionName).Get<DownloadSettings>() ?? new DownloadSettings();
        return new CommandSettings(torch, dataDirectory, download);
    }
}
