using DistillLab.Core.Experiments;

namespace DistillLab.Core.Studies;

/// <summary>A study config that failed <see cref="StudyConfig.Validate"/>.</summary>
public sealed class InvalidStudyConfigException(IReadOnlyList<ConfigError> errors)
    : ArgumentException("Invalid study settings: " + string.Join("; ", errors))
{
    public IReadOnlyList<ConfigError> Errors { get; } = errors;
}
