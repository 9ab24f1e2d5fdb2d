using DistillLab.Core;
using System.Diagnostics;
using DistillLab.Core.Data;
using DistillLab.Core.Experiments;
using DistillLab.Core.Export;
using DistillLab.Core.Inference;
using DistillLab.Core.Insight;
using DistillLab.Core.Models;
using DistillLab.Web.Settings;
using Microsoft.Extensions.Options;
using static TorchSharp.torch;
using DistillLab.Core.Training;

namespace DistillLab.Web.Runs;

/// <summary>Files of a finished run beside the database: data/runs/&lt;id&gt;/ holds the three trained models,
/// the first test images (raw uint8 NCHW) and the three models' logits on the whole test split (test-logits.json),
/// so the Predictions page works after a restart without reloading data.</summary>
/// <remarks>With Jobs:Engine postgres the files are also uploaded to the database (<see cref="StoredFiles"/>) and fetched
/// into the folder before anything here reads them, so any machine can use a run another one trained.</remarks>
/// <param name="files">Where the files are kept besides the folder; none: the folder alone (tests).</param>
public sealed class RunArtifacts(IOptions<DataOptions> data, IOptions<DashboardOptions> dashboard, RunJournal journal, StoredFiles? files = null)
{
    private readonly Lock modelGate = new();
    private (string RunId, TeacherNet Teacher, StudentNet Scratch, StudentNet Distilled)? loaded;

    public string RunDirectory(string runId) => Path.Combine(data.Value.FullDirectory, "runs", runId);
    public string ModelPath(string runId, ModelRole role) => Path.Combine(RunDirectory(runId), ModelRoles.Key(role) + ".pt");
    private string TestImagesPath(string runId) => Path.Combine(RunDirectory(runId), "test-images.u8");
    private string TestLogitsPath(string runId) => Path.Combine(RunDirectory(runId), StoredLogits.FileName);
    private const string TestImagesFile = "test-images.u8";
    private static string ModelFile(ModelRole role) => ModelRoles.Key(role) + ".pt";
    private static IEnumerable<string> FileNames => ModelRoles.All.Select(ModelFile).Append(TestImagesFile).Append(StoredLogits.FileName);

    /// <summary>True when the run's file is in its folder, fetched from the database first where files are kept there.</summary>
    private bool Fetch(string runId, string name) =>
        files?.Fetch(StoredFiles.RunOwner(runId), name) ?? File.Exists(Path.Combine(RunDirectory(runId), name));

    /// <summary>True when the run's saved <paramref name="role"/> model is at <see cref="ModelPath"/> (fetched first where needed).</summary>
    public bool HasModel(string runId, ModelRole role) => Fetch(runId, ModelFile(role));

    /// <summary>Saves the models and the stored test images, predicts those images with all three models,
    /// and measures each model's file size and single-image inference time.</summary>
    public (ModelView Teacher, ModelView Scratch, ModelView Distilled) Save(string runId, LabOutcome outcome, ModelView teacher, ModelView scratch, ModelView distilled)
    {
        Directory.CreateDirectory(RunDirectory(runId));
        var models = new (ModelRole Role, nn.Module<Tensor, Tensor> Model, ModelSpec Spec)[]
        {
            (ModelRole.Teacher, outcome.Teacher, outcome.Teacher.Spec),
            (ModelRole.StudentScratch, outcome.StudentScratch, outcome.StudentScratch.Spec),
            (ModelRole.StudentDistilled, outcome.StudentDistilled, outcome.StudentDistilled.Spec),
        };
        // Each file says what its model was trained on, so a later run that reuses it passes LabRunner's check.
        foreach (var (role, model, spec) in models) ModelCheckpoint.Save(model, spec, ModelPath(runId, role), outcome.TrainedOnFor(role));

        var test = outcome.Data.Test;
        int keep = Math.Min(test.Count, dashboard.Value.StoredTestImages);
        var stored = test.Select(Enumerable.Range(0, keep).ToArray());
        WriteAtomically(TestImagesPath(runId), stored);
        if (outcome.TestLogits is { } logits) StoredLogits.Write(TestLogitsPath(runId), logits);
        var device = ParameterDevice(outcome.Teacher);
        var predictions = models.Select(m => Predictor.Predict(m.Model, stored, device)).ToArray();
        journal.Write(s => s.SavePredictions(runId, stored.Labels, predictions[0], predictions[1], predictions[2]));
        files?.Upload(StoredFiles.RunOwner(runId), FileNames);

        ModelView Measure(ModelView view, int i) => view with
        {
            ModelBytes = new FileInfo(ModelPath(runId, models[i].Role)).Length,
            InferenceMillisecondsPerImage = MillisecondsPerImage(models[i].Model, stored, device),
        };
        return (Measure(teacher, 0), Measure(scratch, 1), Measure(distilled, 2));
    }

    private static Device ParameterDevice(nn.Module<Tensor, Tensor> model) => model.parameters().First().device;

    /// <summary>Batch-1 inference, as the lab evaluates the test set: median of up to 50 images after five warm-up passes.</summary>
    private static double MillisecondsPerImage(nn.Module<Tensor, Tensor> model, ImageSet images, Device device)
    {
        int n = Math.Min(50, images.Count);
        if (n == 0) return 0;
        var one = images.Select([0]);
        for (int i = 0; i < 5; i++) Predictor.Predict(model, one, device, 1);
        var times = new double[n];
        for (int i = 0; i < n; i++)
        {
            var image = images.Select([i]);
            var watch = Stopwatch.StartNew();
            Predictor.Predict(model, image, device, 1);
            times[i] = watch.Elapsed.TotalMilliseconds;
        }
        Array.Sort(times);
        return times[n / 2];
    }

    private static void WriteAtomically(string path, ImageSet images) => AtomicFile.Write(path, file =>
    {
        for (int i = 0; i < images.Count; i++) file.Write(images.Image(i));
    });

    /// <summary>A stored test image as PNG, or null when the run has no such image.</summary>
    public byte[]? Thumbnail(string runId, int index, int imageSize)
    {
        var path = TestImagesPath(runId);
        int bytes = 3 * imageSize * imageSize;
        if (index < 0 || !Fetch(runId, TestImagesFile) || ((long)index + 1) * bytes > new FileInfo(path).Length) return null; // long before +1: int.MaxValue + 1 overflowed
        using var file = File.OpenRead(path);
        file.Position = (long)index * bytes;
        var chw = new byte[bytes];
        file.ReadExactly(chw);
        return ImageDecoder.ToPng(chw, imageSize);
    }

    /// <summary>How many test images the run stored (the first ones of its test split).</summary>
    public int StoredImageCount(string runId, int imageSize)
    {
        var path = TestImagesPath(runId);
        return Fetch(runId, TestImagesFile) ? (int)(new FileInfo(path).Length / (3L * imageSize * imageSize)) : 0;
    }

    /// <summary>The run's test-split logits; null for a run stored before they were kept.</summary>
    public TestLogits? TestLogits(string runId) => Fetch(runId, StoredLogits.FileName) ? StoredLogits.Read(TestLogitsPath(runId)) : null;

    /// <summary>One saved model of a run as an ONNX or safetensors file (see docs/export.md); null when the run's folder
    /// holds no such model.</summary>
    public byte[]? Export(RunDetails run, ModelRole role, ExportFormat format)
    {
        var path = ModelPath(run.Id, role);
        if (!HasModel(run.Id, role) || run.Data is not { } data) return null;
        var metadata = ExportMetadata.For(run.Config, data.Classes, role);
        try
        {
            using nn.Module<Tensor, Tensor> model = role == ModelRole.Teacher ? ModelCheckpoint.LoadTeacher(path) : ModelCheckpoint.LoadStudent(path);
            using var buffer = new MemoryStream();
            ModelExport.Write(model, metadata, format, buffer);
            return buffer.ToArray();
        }
        catch (FileNotFoundException) { return null; } // deleted with its run meanwhile
    }

    public bool HasModels(string runId) => ModelRoles.All.All(r => HasModel(runId, r));

    /// <summary>The three models' predictions for one uploaded picture. Models of the last asked run stay loaded.</summary>
    public (Prediction Teacher, Prediction Scratch, Prediction Distilled) PredictUpload(string runId, ImageSet image)
    {
        lock (modelGate)
        {
            if (loaded?.RunId != runId)
            {
                // A model missing from the folder and the database is said as such, not as a bare file-not-found.
                if (files is not null) foreach (var role in ModelRoles.All) files.Require(StoredFiles.RunOwner(runId), ModelFile(role));
                Unload();
                loaded = (runId, ModelCheckpoint.LoadTeacher(ModelPath(runId, ModelRole.Teacher)),
                    ModelCheckpoint.LoadStudent(ModelPath(runId, ModelRole.StudentScratch)),
                    ModelCheckpoint.LoadStudent(ModelPath(runId, ModelRole.StudentDistilled)));
            }
            var (_, teacher, scratch, distilled) = loaded.Value;
            return (Predictor.Predict(teacher, image)[0], Predictor.Predict(scratch, image)[0], Predictor.Predict(distilled, image)[0]);
        }
    }

    private void Unload()
    {
        if (loaded is not { } models) return;
        models.Teacher.Dispose();
        models.Scratch.Dispose();
        models.Distilled.Dispose();
        loaded = null;
    }

    public void Delete(string runId)
    {
        lock (modelGate) if (loaded?.RunId == runId) Unload();
        files?.Delete(StoredFiles.RunOwner(runId));
        var directory = RunDirectory(runId);
        if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
    }
}
