using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DistillLab.Core.Models;

/// <summary>Initialises weights as Keras does (Glorot-uniform kernels, zero biases), not as PyTorch does,
/// so training starts where the reference lab's did.</summary>
internal static class KerasInit
{
    public static void Apply(nn.Module module)
    {
        using var _ = no_grad();
        foreach (var layer in module.modules())
        {
            switch (layer)
            {
                case Conv2d conv:
                    nn.init.xavier_uniform_(conv.weight);
                    if (conv.bias is not null) nn.init.zeros_(conv.bias);
                    break;
                case Linear linear:
                    nn.init.xavier_uniform_(linear.weight);
                    if (linear.bias is not null) nn.init.zeros_(linear.bias);
                    break;
            }
        }
    }
}
