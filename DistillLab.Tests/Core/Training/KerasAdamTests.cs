using DistillLab.Core.Training;
using DistillLab.Tests.Support;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DistillLab.Tests.Core.Training;

[Collection(TorchCollection.Name)]
public class KerasAdamTests
{
    [Fact]
    public void FirstStepMovesAParameterByTheLearningRateTimesTheGradientsSign()
    {
        // Step 1: m = 0.1 g, v = 0.001 g²; bias-corrected m̂ = g, v̂ = g²; update = -lr · g / (|g| + eps).
        using var weight = new Parameter(tensor(new[] { 1.0f, -2.0f }));
        using var optimizer = new KerasAdam([weight], learningRate: 0.01, epsilon: 1e-7);
        using (var loss = (weight * tensor(new[] { 2.0f, -0.5f })).sum()) loss.backward();

        optimizer.Step();

        var values = weight.data<float>().ToArray();
        Assert.Equal(1.0 - 0.01 * 2 / (2 + 1e-7), values[0], 6);
        Assert.Equal(-2.0 + 0.01 * 0.5 / (0.5 + 1e-7), values[1], 6);
    }

    [Fact]
    public void TrainsToTheSameBitsAsTorchSharpsAdamWithKerasBetas()
    {
        var (ours, theirs) = (SmallModel(), SmallModel());
        using var images = randn(16, 6, generator: new Generator(7));
        using var labels = randint(0, 2, [16], dtype: ScalarType.Int64, generator: new Generator(8));
        using var keras = new KerasAdam(ours.parameters(), 0.003, 1e-7);
        using var reference = optim.Adam(theirs.parameters(), 0.003, beta1: 0.9, beta2: 0.999, eps: 1e-7);

        for (int step = 0; step < 5; step++)
        {
            keras.ZeroGrad();
            nn.functional.cross_entropy(ours.call(images), labels).backward();
            keras.Step();
            reference.zero_grad();
            nn.functional.cross_entropy(theirs.call(images), labels).backward();
            reference.step();
        }

        var pairs = ours.parameters().Zip(theirs.parameters()).ToList();
        Assert.Equal(4, pairs.Count);
        foreach (var (a, b) in pairs)
            Assert.Equal(b.data<float>().ToArray(), a.data<float>().ToArray());
        // The parameters did move: equal because both optimisers stepped alike, not because neither did.
        using var fresh = SmallModel();
        Assert.NotEqual(fresh.parameters().First().data<float>().ToArray(), ours.parameters().First().data<float>().ToArray());
    }

    [Fact]
    public void ParametersWithoutAGradientAreLeftAloneAndZeroGradClearsGradients()
    {
        using var used = new Parameter(tensor(new[] { 1.0f }));
        using var unused = new Parameter(tensor(new[] { 5.0f }));
        using var optimizer = new KerasAdam([used, unused], 0.1, 1e-7);
        using (var loss = (used * 3).sum()) loss.backward();

        optimizer.Step();
        Assert.Equal(5.0f, unused.data<float>()[0]);
        Assert.NotEqual(1.0f, used.data<float>()[0]);

        optimizer.ZeroGrad();
        Assert.Equal(0.0f, used.grad!.data<float>()[0]);
    }

    private static nn.Module<Tensor, Tensor> SmallModel()
    {
        manual_seed(3);
        return nn.Sequential(nn.Linear(6, 5), nn.ReLU(), nn.Linear(5, 2));
    }
}
