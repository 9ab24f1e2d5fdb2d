namespace DistillLab.Web.Predictions;

/// <summary>One stored test image with each model's logits: what the dark-knowledge view sends to the browser once;
/// the browser then computes softmax(z / T) itself at every temperature (GET /api/runs/{id}/logits/{index}).</summary>
/// <param name="Classes">One name per logit, in logit order.</param>
/// <param name="Truth">The true class, an index into <paramref name="Classes"/>.</param>
/// <param name="RunTemperature">The temperature the distilled student was trained at.</param>
public sealed record ImageLogits(
    int Index,
    string ImageUrl,
    int Truth,
    string TrueLabel,
    IReadOnlyList<string> Classes,
    float[] Teacher,
    float[] StudentScratch,
    float[] StudentDistilled,
    double RunTemperature);
