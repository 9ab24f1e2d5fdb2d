using System.ComponentModel.DataAnnotations;
using DistillLab.Core.Data;

namespace DistillLab.Web.Settings;

/// <summary>The "Data" section: DistillLab's data folder and the folders data sources may point into.</summary>
/// <remarks>Relative paths resolve against the process's current directory (the README's commands run from the repository root).</remarks>
public sealed class DataOptions
{
    public const string Section = "Data";

    [Required] public string Directory { get; set; } = "data";
    [MinLength(1)] public string[] Roots { get; set; } = [];

    public string FullDirectory => Path.GetFullPath(Directory);
    public IReadOnlyList<string> FullRoots => Roots.Select(Path.GetFullPath).ToArray();
    public Core.Data.LabEnvironment Environment => new(FullDirectory, FullRoots);
}
