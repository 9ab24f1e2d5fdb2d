using DistillLab.Core;
using DistillLab.Core.Experiments;
using DistillLab.Core.Insight;
using DistillLab.Core.Training;
using DistillLab.Web.Training;
using static TorchSharp.torch;

namespace DistillLab.Tests.Support;

/// <summary>A <see cref="ScriptedEngine"/> run plus what LabRunner adds after testing: the three (untrained) models'
/// real logits on the scripted test split and the insight computed from them, so the web side can be tested without
/// real training.</summary>
public sealed class ScriptedInsightEngine(ScriptedEngine scripted) : ILabEngine
{
    public ScriptedEngine Scripted => scripted;

    public LabOutcome Run(LabConfig config, Action<LabEvent> onEvent, CancellationToken cancellationToken)
    {
        var outcome = scripted.Run(config, onEvent, cancellationToken);
        try
        {
            var trainer = new Trainer(CPU, _ => { }, cancellationToken);
            var test = outcome.Data.Test;
            var logits = new TestLogits(outcome.Data.Classes, test.Labels, trainer.Predict(outcome.Teacher, test, 16),
                trainer.Predict(outcome.StudentScratch, test, 16), trainer.Predict(outcome.StudentDistilled, test, 16));
            // The models move to the new outcome, which the service disposes.
            return new LabOutcome(outcome.Result with { Insight = RunInsight.Of(logits) }, outcome.Data,
                outcome.Teacher, outcome.StudentScratch, outcome.StudentDistilled) { TestLogits = logits };
        }
        catch
        {
            outcome.Dispose();
            throw;
        }
    }
}
