using DistillLab.Core.Studies;

namespace DistillLab.Web.Studies;

/// <summary>The real study: Core's StudyRunner over the configured data folder.</summary>
public sealed class StudyEngine : IStudyEngine
{
    public StudyOutcome Run(StudyConfig config, StudyFinishedParts done, StudyCallbacks callbacks, CancellationToken cancellationToken) =>
        throw new NotSupportedException("Core's StudyRunner is not merged into this build yet.");
}
