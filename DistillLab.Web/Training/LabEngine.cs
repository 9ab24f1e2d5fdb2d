using DistillLab.Core.Experiments;
using DistillLab.Web.Settings;
using Microsoft.Extensions.Options;
using DistillLab.Core;

namespace DistillLab.Web.Training;

/// <summary>Runs one lab experiment synchronously on the calling thread. The seam lets tests script events.</summary>
public interface ILabEngine
{
    LabOutcome Run(LabConfig config, Action<LabEvent> onEvent, CancellationToken cancellationToken);
}

/// <summary>The real experiment: Core's <see cref="LabRunner"/> with the configured data folder and roots.</summary>
public sealed class LabEngine(IOptions<DataOptions> data) : ILabEngine
{
    private readonly LabRunner runner = new(data.Value.Environment);

    public LabOutcome Run(LabConfig config, Action<LabEvent> onEvent, CancellationToken cancellationToken)
        => runner.Run(config, onEvent, cancellationToken);
}
