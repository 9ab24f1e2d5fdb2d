using DistillLab.Web.Runs;

namespace DistillLab.Web.Predictions;

/// <summary>The numbers behind the dark-knowledge view: one stored test image's logits from each model, read from the
/// run's stored test logits.</summary>
public sealed class DarkKnowledgeService(RunRegistry runs)
{
    /// <summary>The three models' logits for stored test image <paramref name="index"/>; null when the run kept no
    /// logits (it finished before they were stored) or has no such stored image.</summary>
    public ImageLogits? Logits(RunDetails run, int index)
    {
        if (run.ImageSize is not { } size || index < 0 || index >= runs.StoredImageCount(run.Id, size)) return null;
        if (runs.TestLogits(run.Id) is not { } logits || index >= logits.Labels.Length) return null;
        int truth = logits.Labels[index];
        return new ImageLogits(index, $"/api/runs/{run.Id}/images/{index}.png", truth,
            truth < logits.Classes.Count ? logits.Classes[truth] : truth.ToString(), logits.Classes,
            logits.Teacher[index], logits.StudentScratch[index], logits.StudentDistilled[index], run.Config.Temperature);
    }
}
