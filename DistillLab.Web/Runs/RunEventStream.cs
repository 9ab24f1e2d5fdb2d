using DistillLab.Web.Hosting;

namespace DistillLab.Web.Runs;

/// <summary>The one stream of run events: the training service publishes, the pages and the hub relay subscribe.</summary>
public sealed class RunEventStream(ILogger<RunEventStream> logger) : EventStream<RunEvent>(logger);
