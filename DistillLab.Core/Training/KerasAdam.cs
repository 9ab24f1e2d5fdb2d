using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DistillLab.Core.Training;

/// <summary>Adam as the reference lab's Keras sets it up (betas 0.9 and 0.999, a chosen epsilon, no weight decay),
/// doing TorchSharp 0.107's own Adam arithmetic op for op, so training gives the same numbers to the last bit.</summary>
/// <remarks>
/// Why not TorchSharp's <c>optim.Adam</c>: it hands libtorch its numbers through implicit Scalar conversions, and
/// nothing keeps such a Scalar reachable once its handle has been read, so the finalizer can free it while libtorch
/// still reads it. Under GC pressure (a worker process beside Hangfire and Npgsql) trials failed with "Unknown scalar
/// type" or a failed check in <c>Scalar::toFloat</c> (CI, 2 and 3 December 2026). Here every Scalar lives in a
/// <c>using</c> until the step is over. TorchSharp issues #1434 and #1496 track the conversions upstream.
/// </remarks>
public sealed class KerasAdam : IDisposable
{
    private const double Beta1 = 0.9;
    private const double Beta2 = 0.999;

    private readonly Parameter[] parameters;
    private readonly Tensor[] averages;
    private readonly Tensor[] averagesOfSquares;
    private readonly double learningRate;
    private readonly double epsilon;
    private long steps;

    public KerasAdam(IEnumerable<Parameter> parameters, double learningRate, double epsilon)
    {
        this.parameters = parameters.ToArray();
        this.learningRate = learningRate;
        this.epsilon = epsilon;
        averages = this.parameters.Select(p => zeros_like(p).DetachFromDisposeScope()).ToArray();
        averagesOfSquares = this.parameters.Select(p => zeros_like(p).DetachFromDisposeScope()).ToArray();
    }

    /// <summary>Sets every gradient to zero (before a batch's backward pass adds to them).</summary>
    public void ZeroGrad()
    {
        foreach (var parameter in parameters)
        {
            using var gradient = parameter.grad;
            gradient?.zero_();
        }
    }

    /// <summary>One update of every parameter from its gradient.</summary>
    public void Step()
    {
        steps++;
        double biasCorrection1 = 1 - Math.Pow(Beta1, steps);
        double biasCorrection2 = 1 - Math.Pow(Beta2, steps);
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        using var one = 1.ToScalar();
        using var beta1 = Beta1.ToScalar();
        using var gradientWeight = (1 - Beta1).ToScalar();
        using var beta2 = Beta2.ToScalar();
        using var squareWeight = (1 - Beta2).ToScalar();
        using var correction2 = Math.Sqrt(biasCorrection2).ToScalar();
        using var eps = epsilon.ToScalar();
        using var stepSize = (-(learningRate / biasCorrection1)).ToScalar();
        for (int i = 0; i < parameters.Length; i++)
        {
            var gradient = parameters[i].grad;
            if (gradient is null) continue;
            averages[i].mul_(beta1).add_(gradient, gradientWeight);
            averagesOfSquares[i].mul_(beta2).addcmul_(gradient, gradient, squareWeight);
            var denominator = averagesOfSquares[i].sqrt().div(correction2).add_(eps, one);
            parameters[i].addcdiv_(averages[i], denominator, stepSize);
        }
    }

    public void Dispose()
    {
        foreach (var tensor in averages.Concat(averagesOfSquares)) tensor.Dispose();
    }
}
