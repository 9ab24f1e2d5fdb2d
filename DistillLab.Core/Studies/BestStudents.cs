using System.Globalization;
using DistillLab.Core.Data;
using DistillLab.Core.Experiments;
using DistillLab.Core.Export;
using DistillLab.Core.Training;

namespace DistillLab.Core.Studies;

/// <summary>How a study's best students are named and described when exported: best-seed42.onnx,
/// best-seed42.safetensors, … (one distilled student per seed of the best setting; docs/export.md).</summary>
public static class BestStudents
{
    private const string Prefix = "best-seed";

    public static string FileName(int seed, ExportFormat format) =>
        Prefix + seed.ToString(CultureInfo.InvariantCulture) + ModelExport.Extension(format);

    /// <summary>Every file name a study with these seeds can have.</summary>
    public static IEnumerable<string> FileNames(IEnumerable<int> seeds) =>
        seeds.SelectMany(seed => ModelExport.Formats.Select(format => FileName(seed, format)));

    /// <summary>Reads a name made by <see cref="FileName"/> (exact spelling); false for anything else.</summary>
    public static bool TryParseFileName(string fileName, out int seed, out ExportFormat format)
    {
        (seed, format) = (0, default);
        if (!fileName.StartsWith(Prefix, StringComparison.Ordinal)) return false;
        foreach (var f in ModelExport.Formats)
        {
            var extension = ModelExport.Extension(f);
            if (!fileName.EndsWith(extension, StringComparison.Ordinal)) continue;
            var digits = fileName[Prefix.Length..^extension.Length];
            // Round-trip only: "best-seed042.onnx" or "best-seed+42.onnx" is not a name this API gives out.
            if (int.TryParse(digits, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out seed)
                && FileName(seed, f) == fileName)
            {
                format = f;
                return true;
            }
        }
        return false;
    }

    /// <summary>What a best student's export says: a distilled student, its seed and setting, the study's data.</summary>
    public static ExportMetadata Metadata(StudyConfig config, LabData data, TrialKey key) => new(data.Classes)
    {
        Role = ModelRoles.Key(ModelRole.StudentDistilled),
        Seed = key.Seed,
        Data = config.Base.Data,
        Resize = SavedModelCheck.ResizeName(config.Base),
        Alpha = key.Alpha,
        Temperature = key.Temperature,
        ScaleByTemperatureSquared = key.ScaleByTemperatureSquared,
    };
}
