using DistillLab.Tests.Support;
using DistillLab.Core.Data.Synthetic;
using DistillLab.Core.Export;
using DistillLab.Core.Models;
using Microsoft.ML.OnnxRuntime;
using static TorchSharp.torch;

namespace DistillLab.Tests.Core.Export;

/// <summary>Seeded models, test images and the two ways of running a model (TorchSharp and ONNX Runtime) that the
/// export tests compare.</summary>
internal static class ExportTestModels
{
    public static readonly ExportMetadata CatsDogs = new(SyntheticCatsDogs.Classes) { Role = "teacher", Seed = 7 };

    public static nn.Module<Tensor, Tensor> Build(ModelKind kind, int size, int seed, int classes = 2)
    {
        manual_seed(seed);
        var spec = new ModelSpec(kind, size, Classes: classes);
        return kind == ModelKind.Teacher ? new TeacherNet(spec) : new StudentNet(spec);
    }

    /// <summary>Synthetic cats and dogs scaled to [0, 1] as the lab scales them: float32 [count, 3, size, size].</summary>
    public static Tensor Images(int count, int size, int seed)
    {
        var set = SyntheticCatsDogs.Generate(count, size, seed);
        using var pixels = tensor(set.AllPixels(), [count, 3, size, size]);
        return ModelInput.FromPixels(pixels);
    }

    /// <summary>TorchSharp's logits in eval mode (dropout off), flattened.</summary>
    public static float[] TorchLogits(nn.Module<Tensor, Tensor> model, Tensor images)
    {
        model.eval();
        using var _ = no_grad();
        using var logits = model.call(images);
        return logits.data<float>().ToArray();
    }

    /// <summary>ONNX Runtime's logits for the same images, flattened, with the output's shape.</summary>
    public static (float[] Logits, long[] Shape) OnnxLogits(byte[] onnx, Tensor images)
    {
        using var session = new InferenceSession(onnx);
        float[] input = images.data<float>().ToArray();
        using var value = OrtValue.CreateTensorValueFromMemory(input, images.shape);
        using var options = new RunOptions();
        using var outputs = session.Run(options, [ModelExport.OnnxInput], [value], [ModelExport.OnnxOutput]);
        return (outputs[0].GetTensorDataAsSpan<float>().ToArray(), outputs[0].GetTensorTypeAndShape().Shape);
    }

    public static byte[] OnnxBytes(nn.Module<Tensor, Tensor> model, ExportMetadata? metadata = null)
    {
        using var stream = new MemoryStream();
        ModelExport.WriteOnnx(model, metadata ?? CatsDogs, stream);
        return stream.ToArray();
    }

    public static float MaxDifference(float[] a, float[] b)
    {
        Assert.Equal(a.Length, b.Length);
        return a.Zip(b, (x, y) => Math.Abs(x - y)).Max();
    }
}
