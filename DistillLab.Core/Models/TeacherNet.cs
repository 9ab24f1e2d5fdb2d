using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace DistillLab.Core.Models;

/// <summary>The lab's "big model": four valid 3x3 conv + 2x2 max-pool stages with dropout, then two dense layers. Outputs logits.</summary>
public sealed class TeacherNet : Module<Tensor, Tensor>
{
    /// <summary>Four valid conv+pool stages leave nothing below this input size (the last pool needs 2x2).</summary>
    public const int MinimumInputSize = 46;

    private readonly Conv2d conv1, conv2, conv3, conv4;
    private readonly MaxPool2d pool;
    private readonly Dropout dropout1, dropout2;
    private readonly Linear fc1, fc2;

    public TeacherNet(ModelSpec spec) : base(nameof(TeacherNet))
    {
        // TorchSharp's layer constructors leave temporaries alive until the GC finalises them (up to a weight's
        // size each); build in a scope and keep only the parameters.
        using var scope = NewDisposeScope();
        ModelSpec.EnsureTeacherFits(spec.ImageSize);
        Spec = spec;
        conv1 = Conv2d(spec.Channels, 32, 3);
        conv2 = Conv2d(32, 64, 3);
        conv3 = Conv2d(64, 64, 3);
        conv4 = Conv2d(64, 128, 3);
        pool = MaxPool2d(2);
        dropout1 = Dropout(0.2);
        dropout2 = Dropout(0.5);
        int side = spec.ImageSize;
        for (int stage = 0; stage < 4; stage++) side = (side - 2) / 2;
        fc1 = Linear(128L * side * side, 512);
        fc2 = Linear(512, spec.Classes);
        RegisterComponents();
        KerasInit.Apply(this);
        scope.Detach(parameters());
    }

    public ModelSpec Spec { get; }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var x = pool.call(functional.relu(conv1.call(input)));
        x = dropout1.call(pool.call(functional.relu(conv2.call(x))));
        x = pool.call(functional.relu(conv3.call(x)));
        x = dropout2.call(pool.call(functional.relu(conv4.call(x))));
        x = functional.relu(fc1.call(x.flatten(1)));
        return fc2.call(x).MoveToOuterDisposeScope();
    }
}
