using DistillLab.Core.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace DistillLab.Core.Inference;

/// <summary>One model's answer for one image: the predicted class index and its softmax probability.</summary>
public readonly record struct Prediction(int Label, double Confidence);

/// <summary>Runs a trained model over images in inference mode (eval, no gradients) and returns label + confidence per image.</summary>
public static class Predictor
{
    /// <summary>Predicts every image of <paramref name="images"/> in batches; the model is left in eval mode.</summary>
    public static Prediction[] Predict(nn.Module<Tensor, Tensor> model, ImageSet images, Device? device = null, int batchSize = 64)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(images);
        device ??= CPU;
        var predictions = new Prediction[images.Count];
        model.eval();
        using var _ = no_grad();
        for (int start = 0; start < images.Count; start += batchSize)
        {
            // A dispose scope per batch frees every intermediate tensor before the next one.
            using var scope = NewDisposeScope();
            int count = Math.Min(batchSize, images.Count - start);
            var batch = ToTensor(images, start, count).to(device);
            var probabilities = nn.functional.softmax(model.call(batch), 1).cpu();
            var (top, index) = probabilities.max(1);
            var confidences = top.data<float>().ToArray();
            var labels = index.data<long>().ToArray();
            for (int i = 0; i < count; i++)
                predictions[start + i] = new Prediction((int)labels[i], confidences[i]);
        }
        return predictions;
    }

    /// <summary>Images [start, start+count) as a float NCHW tensor scaled to [0, 1], as the trainer feeds them.</summary>
    public static Tensor ToTensor(ImageSet images, int start, int count)
    {
        var bytes = new byte[count * images.ImageBytes];
        for (int i = 0; i < count; i++) images.Image(start + i).CopyTo(bytes.AsSpan(i * images.ImageBytes));
        using var raw = tensor(bytes, [count, images.Channels, images.ImageSize, images.ImageSize], ScalarType.Byte);
        return Models.ModelInput.FromPixels(raw);
    }
}
