using System.Text.Json;
using DistillLab.Core;
using DistillLab.Core.Export;
using DistillLab.Core.Models;
using DistillLab.Core.Studies;
using DistillLab.Web.Hosting;

namespace DistillLab.Web.Studies;

/// <summary>The best setting's distilled students a study keeps when it completes, one per seed:
/// data/studies/&lt;id&gt;/best-seed&lt;N&gt;.ckpt with what its export says (best-seed&lt;N&gt;.json: class names, α, T, T²,
/// seed). GET /api/studies/{id}/models/best-seed&lt;N&gt;.onnx|.safetensors writes the export from them on request.</summary>
public sealed class StudyBestModels(StudyTeachers teachers)
{
    public string CheckpointPath(string studyId, int seed) => Path.Combine(teachers.StudyDirectory(studyId), $"best-seed{seed}.ckpt");
    private string MetadataPath(string studyId, int seed) => Path.Combine(teachers.StudyDirectory(studyId), $"best-seed{seed}.json");

    /// <summary>Saves one best student (called by the runner's confirm step, on the training thread).</summary>
    public void Keep(string studyId, BestStudent best)
    {
        Directory.CreateDirectory(teachers.StudyDirectory(studyId));
        ModelCheckpoint.Save(best.Model, best.Model.Spec, CheckpointPath(studyId, best.Seed), null);
        AtomicFile.Write(MetadataPath(studyId, best.Seed), stream => JsonSerializer.Serialize(stream, best.Metadata, JsonDefaults.Options));
        teachers.Upload(studyId, Path.GetFileName(CheckpointPath(studyId, best.Seed)), Path.GetFileName(MetadataPath(studyId, best.Seed)));
    }

    /// <summary>One kept student as ONNX or safetensors (docs/export.md); null when the study's folder does not hold it
    /// (a study completed before students were kept, or files removed).</summary>
    public byte[]? Export(string studyId, int seed, ExportFormat format)
    {
        try
        {
            if (!teachers.Fetch(studyId, Path.GetFileName(MetadataPath(studyId, seed))) || !teachers.Fetch(studyId, Path.GetFileName(CheckpointPath(studyId, seed))))
                return null;
            using var metadataFile = File.OpenRead(MetadataPath(studyId, seed));
            var metadata = JsonSerializer.Deserialize<ExportMetadata>(metadataFile, JsonDefaults.Options)
                           ?? throw new InvalidDataException($"'{MetadataPath(studyId, seed)}' is empty.");
            using var model = ModelCheckpoint.LoadStudent(CheckpointPath(studyId, seed));
            using var buffer = new MemoryStream();
            ModelExport.Write(model, metadata, format, buffer);
            return buffer.ToArray();
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }
}
