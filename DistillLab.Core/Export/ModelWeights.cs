using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace DistillLab.Core.Export;

/// <summary>A model's state dict as plain float32 arrays, in the state dict's order and with its names (conv1.weight,
/// fc.bias, ...), ready to write into a file.</summary>
internal static class ModelWeights
{
    /// <summary>One tensor of the state dict, copied off the device.</summary>
    public sealed record Weight(string Name, long[] Shape, float[] Values)
    {
        /// <summary>The values as little-endian bytes, as ONNX raw_data and safetensors store them.</summary>
        public ReadOnlySpan<byte> Bytes => MemoryMarshal.AsBytes(Values.AsSpan());
    }

    public static IReadOnlyList<Weight> Read(nn.Module model)
    {
        // Both formats store little-endian floats; writing this machine's order on a big-endian one would corrupt them.
        if (!BitConverter.IsLittleEndian)
            throw new PlatformNotSupportedException("Exporting weights needs a little-endian machine.");
        using var scope = NewDisposeScope();
        var weights = new List<Weight>();
        foreach (var (name, tensor) in model.state_dict())
        {
            if (tensor.dtype != ScalarType.Float32)
                throw new NotSupportedException($"Cannot export '{name}': it is {tensor.dtype}, and DistillLab exports float32 weights only.");
            var values = tensor.detach().cpu().contiguous().data<float>().ToArray();
            weights.Add(new Weight(name, tensor.shape.ToArray(), values));
        }
        return weights;
    }
}
