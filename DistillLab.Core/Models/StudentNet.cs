using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace DistillLab.Core.Models;

/// <summary>The lab's "small model": one valid 3x3 conv + 2x2 max-pool, then a dense layer to logits. No regularization.</summary>
public sealed class StudentNet : Module<Tensor, Tensor>
{
    private readonly Conv2d conv1;
    private readonly MaxPool2d pool;
    private readonly Linear fc;

    public StudentNet(ModelSpec spec) : base(nameof(StudentNet))
    {
        // TorchSharp's layer constructors leave temporaries alive until the GC finalises them (up to a weight's
        // size each); build in a scope and keep only the parameters.
        using var scope = NewDisposeScope();
        Spec = spec;
        conv1 = Conv2d(spec.Channels, 32, 3);
        pool = MaxPool2d(2);
        int side = (spec.ImageSize - 2) / 2;
        fc = Linear(32L * side * side, spec.Classes);
        RegisterComponents();
        KerasInit.Apply(this);
        scope.Detach(parameters());
    }

    public ModelSpec Spec { get; }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var x = pool.call(functional.relu(conv1.call(input)));
        return fc.call(x.flatten(1)).MoveToOuterDisposeScope();
    }
}
