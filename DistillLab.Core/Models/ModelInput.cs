using TorchSharp;
using static TorchSharp.torch;

namespace DistillLab.Core.Models;

/// <summary>The lab's preprocessing, in one place so training and inference can never drift apart.</summary>
public static class ModelInput
{
    /// <summary>uint8 NCHW pixels as the models take them: float32, divided by 255 (the lab's scaling).</summary>
    public static Tensor FromPixels(Tensor pixels)
    {
        using var scale = 255f.ToScalar(); // held until libtorch has used it (see Distiller.ComputeLoss)
        return pixels.to_type(ScalarType.Float32).div_(scale);
    }
}
