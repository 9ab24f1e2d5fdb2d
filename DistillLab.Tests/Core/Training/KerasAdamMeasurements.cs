using System.Diagnostics;
using DistillLab.Core.Models;
using DistillLab.Core.Training;
using DistillLab.Tests.EndToEnd;
using DistillLab.Tests.Support;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace DistillLab.Tests.Core.Training;

/// <summary>KerasAdam against TorchSharp's optim.Adam on the student at 64 px, batch 32, 2 threads, in one process:
/// the two alternate on the same model, 60 timed steps each per round, medians. A measurement (DISTILLLAB_MEASURE=1),
/// not a test: the figures go to docs/benchmarks.md ("Our Adam").</summary>
[Collection(TorchCollection.Name)]
public sealed class KerasAdamMeasurements(ITestOutputHelper output)
{
    [MeasurementFact]
    public void KerasAdamAgainstTorchSharpsAdamOnTheStudent()
    {
        set_num_threads(2);
        using var model = new StudentNet(new ModelSpec(ModelKind.Student, 64));
        using var images = rand(32, 3, 64, 64);
        using var labels = randint(0, 2, [32], dtype: ScalarType.Int64);
        using var keras = new KerasAdam(model.parameters(), 0.001, 1e-7);
        using var theirs = optim.Adam(model.parameters(), 0.001, beta1: 0.9, beta2: 0.999, eps: 1e-7);

        for (int round = 1; round <= 4; round++)
        {
            double wholeTheirs = Median(() => theirs.zero_grad(), () => theirs.step(), stepOnly: false);
            double wholeOurs = Median(keras.ZeroGrad, keras.Step, stepOnly: false);
            double stepTheirs = Median(() => theirs.zero_grad(), () => theirs.step(), stepOnly: true);
            double stepOurs = Median(keras.ZeroGrad, keras.Step, stepOnly: true);
            output.WriteLine($"round {round}: whole training step optim.Adam {wholeTheirs:F2} ms, KerasAdam {wholeOurs:F2} ms; " +
                             $"optimizer step alone {stepTheirs:F3} ms / {stepOurs:F3} ms");
        }

        double Median(Action zero, Action step, bool stepOnly)
        {
            var milliseconds = new double[60];
            for (int i = 0; i < milliseconds.Length; i++)
            {
                using var scope = NewDisposeScope();
                long start = Stopwatch.GetTimestamp();
                zero();
                nn.functional.cross_entropy(model.call(images), labels).backward();
                if (stepOnly) start = Stopwatch.GetTimestamp();
                step();
                _ = model.parameters().First().sum().item<float>();
                milliseconds[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            }
            Array.Sort(milliseconds);
            return milliseconds[milliseconds.Length / 2];
        }
    }
}
