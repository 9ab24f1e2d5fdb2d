using DistillLab.Core.Experiments;
using DistillLab.Core.Runtime;

namespace DistillLab.Web.Estimates;

/// <summary>Measures the lab's training throughput on this machine (Core's <see cref="Throughput.Measure"/>, about a
/// second of training steps). The seam lets component tests count measurements without training.</summary>
public sealed class ThroughputMeter(Func<string, int, int, Throughput> measure)
{
    public ThroughputMeter() : this((device, imageSize, batchSize) => Throughput.Measure(TorchRuntime.ResolveDevice(device), imageSize, batchSize)) { }

    /// <param name="device">cpu or cuda.</param>
    public Throughput Measure(string device, int imageSize, int batchSize) => measure(device, imageSize, batchSize);
}
