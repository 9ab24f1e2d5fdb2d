using DistillLab.Core.Inference;
using DistillLab.Web.Runs;

namespace DistillLab.Web.Predictions;

public enum PredictionFilter { All, StudentsDisagree, DistilledRightScratchWrong, BothWrong }

public static class PredictionFilters
{
    public static readonly string[] Names = ["all", "students-disagree", "distilled-right-scratch-wrong", "both-wrong"];

    public static bool TryParse(string? text, out PredictionFilter filter)
    {
        int at = Array.IndexOf(Names, string.IsNullOrEmpty(text) ? "all" : text);
        filter = at < 0 ? PredictionFilter.All : (PredictionFilter)at;
        return at >= 0;
    }

    public static string Name(PredictionFilter filter) => Names[(int)filter];

    public static bool Matches(PredictionFilter filter, StoredPrediction p) => filter switch
    {
        PredictionFilter.StudentsDisagree => p.Scratch.Label != p.Distilled.Label,
        PredictionFilter.DistilledRightScratchWrong => p.Distilled.Label == p.Truth && p.Scratch.Label != p.Truth,
        PredictionFilter.BothWrong => p.Distilled.Label != p.Truth && p.Scratch.Label != p.Truth,
        _ => true,
    };
}

/// <summary>One model's answer as the API and the Predictions page show it.</summary>
public sealed record ModelAnswer(string Label, double Confidence, bool Correct);

public sealed record ImagePrediction(int Index, string ImageUrl, string TrueLabel, ModelAnswer Teacher, ModelAnswer StudentScratch, ModelAnswer StudentDistilled);

public sealed record PredictionPage(string RunId, string Filter, int Matching, int Stored, IReadOnlyList<ImagePrediction> Images);

/// <param name="SeenAs">The picture as the models saw it (decoded and stretched to the run's image size), as a PNG data URL.</param>
public sealed record UploadPrediction(ModelAnswer Teacher, ModelAnswer StudentScratch, ModelAnswer StudentDistilled, string SeenAs);

/// <summary>Test-set predictions stored with each finished run, and predictions for an uploaded picture.</summary>
public sealed class PredictionService(RunRegistry runs, UploadDecoder decoder)
{
    /// <summary>Up to <paramref name="count"/> stored test images matching the filter; a seed shuffles them.</summary>
    public PredictionPage ForRun(RunDetails run, PredictionFilter filter, int count, int? seed = null)
    {
        var classes = run.Data?.Classes ?? [];
        var all = runs.Predictions(run.Id);
        var matching = all.Where(p => PredictionFilters.Matches(filter, p)).ToArray();
        if (seed is { } s) new Random(s).Shuffle(matching);
        var images = matching.Take(count).Select(p => new ImagePrediction(p.Index, $"/api/runs/{run.Id}/images/{p.Index}.png",
            Name(classes, p.Truth), Answer(classes, p.Teacher, p.Truth), Answer(classes, p.Scratch, p.Truth), Answer(classes, p.Distilled, p.Truth))).ToList();
        return new PredictionPage(run.Id, PredictionFilters.Name(filter), matching.Length, all.Count, images);
    }

    /// <summary>The three models' answers for an uploaded picture, decoded within the upload bound (<see cref="UploadDecoder"/>).</summary>
    /// <exception cref="UploadsBusyException">Too many uploads are being decoded.</exception>
    /// <exception cref="ImageRejectedException">Not a usable picture.</exception>
    /// <exception cref="InvalidOperationException">The run has no saved models.</exception>
    public async Task<UploadPrediction> ForUploadAsync(RunDetails run, byte[] bytes, CancellationToken cancellationToken = default)
    {
        if (run.ImageSize is not { } size || !runs.HasModels(run.Id))
            throw new InvalidOperationException($"Run '{run.Id}' has no saved models; only completed runs can predict.");
        // Resized as the run's training images were, or the models would see a picture unlike their data.
        var image = await decoder.DecodeAsync(bytes, size, run.Config.EffectiveResize(), cancellationToken);
        var classes = run.Data?.Classes ?? [];
        // Inference is TorchSharp work: it runs on a pool thread, not on the request's or the circuit's.
        var (teacher, scratch, distilled) = await Task.Run(() => runs.Predict(run.Id, image), CancellationToken.None);
        var seenAs = "data:image/png;base64," + Convert.ToBase64String(ImageDecoder.ToPng(image.Image(0), size));
        return new UploadPrediction(Answer(classes, teacher, null), Answer(classes, scratch, null), Answer(classes, distilled, null), seenAs);
    }

    private static string Name(IReadOnlyList<string> classes, int label) => label < classes.Count ? classes[label] : label.ToString();

    private static ModelAnswer Answer(IReadOnlyList<string> classes, Prediction p, int? truth) =>
        new(Name(classes, p.Label), Math.Round(p.Confidence, 4), truth is { } t && p.Label == t);
}

