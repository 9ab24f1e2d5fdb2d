using DistillLab.Core.Models;
using DistillLab.Core.Training;
using Google.Protobuf;
using static TorchSharp.torch;

namespace DistillLab.Core.Export;

/// <summary>Exports a trained <see cref="TeacherNet"/> or <see cref="StudentNet"/> as ONNX or safetensors, and loads
/// safetensors back. See docs/export.md for what the files hold.</summary>
public static class ModelExport
{
    /// <summary>The ONNX graph's input: float32 [N, channels, size, size], RGB values in [0, 1].</summary>
    public const string OnnxInput = OnnxModelBuilder.InputName;
    /// <summary>The ONNX graph's output: float32 [N, classes] logits.</summary>
    public const string OnnxOutput = OnnxModelBuilder.OutputName;
    public const int OnnxOpset = OnnxModelBuilder.Opset;

    public static readonly IReadOnlyList<ExportFormat> Formats = [ExportFormat.Onnx, ExportFormat.Safetensors];

    public static string Extension(ExportFormat format) => format == ExportFormat.Onnx ? ".onnx" : ".safetensors";

    /// <summary>"teacher.onnx", "studentDistilled.safetensors", ...: the names `lab --export` writes.</summary>
    public static string FileName(ModelRole role, ExportFormat format) => ModelRoles.Key(role) + Extension(format);

    /// <summary>Reads a name made by <see cref="FileName"/> (exact spelling); false for anything else.</summary>
    public static bool TryParseFileName(string fileName, out ModelRole role, out ExportFormat format)
    {
        foreach (var r in ModelRoles.All)
            foreach (var f in Formats)
                if (fileName == FileName(r, f))
                {
                    (role, format) = (r, f);
                    return true;
                }
        (role, format) = (default, default);
        return false;
    }

    /// <summary>Writes the model in <paramref name="format"/> to a stream (left open).</summary>
    public static void Write(nn.Module<Tensor, Tensor> model, ExportMetadata metadata, ExportFormat format, Stream destination)
    {
        if (format == ExportFormat.Onnx) WriteOnnx(model, metadata, destination);
        else WriteSafetensors(model, metadata, destination);
    }

    /// <summary>Writes the model in <paramref name="format"/> to a file, all or nothing. The file's folder must exist.</summary>
    public static void Write(nn.Module<Tensor, Tensor> model, ExportMetadata metadata, ExportFormat format, string path) =>
        WriteFile(path, stream => Write(model, metadata, format, stream));

    /// <summary>The model as ONNX: input "images" float32 [N, C, S, S] in [0, 1], output "logits" [N, classes].</summary>
    public static void WriteOnnx(nn.Module<Tensor, Tensor> model, ExportMetadata metadata, Stream destination) =>
        OnnxModelBuilder.Build(model, metadata).WriteTo(destination);

    public static void WriteOnnx(nn.Module<Tensor, Tensor> model, ExportMetadata metadata, string path) =>
        WriteFile(path, stream => WriteOnnx(model, metadata, stream));

    /// <summary>The model's state dict as safetensors (float32, state-dict names), with the metadata in __metadata__.</summary>
    public static void WriteSafetensors(nn.Module<Tensor, Tensor> model, ExportMetadata metadata, Stream destination)
    {
        var properties = metadata.Properties(InferencePlan.SpecOf(model));
        SafetensorsFile.Write(destination, ModelWeights.Read(model), properties);
    }

    public static void WriteSafetensors(nn.Module<Tensor, Tensor> model, ExportMetadata metadata, string path) =>
        WriteFile(path, stream => WriteSafetensors(model, metadata, stream));

    /// <summary>Builds the model a safetensors file describes and loads its weights (on the CPU, in training mode
    /// as a new model is: call eval() before predicting).</summary>
    /// <param name="spec">The model to build; null reads it from the file's DistillLab metadata. Give it for a file
    /// written elsewhere (e.g. by PyTorch's safetensors.torch.save_file from the definitions in docs/export.md).</param>
    public static nn.Module<Tensor, Tensor> LoadSafetensors(string path, ModelSpec? spec = null)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"Safetensors file '{path}' does not exist.", path);
        using var stream = File.OpenRead(path);
        var header = SafetensorsFile.ReadHeader(stream, path);
        spec ??= ExportMetadata.ReadSpec(header.Metadata)
            ?? throw new InvalidDataException($"'{path}' does not say which model it holds (no DistillLab metadata: architecture, image_size, channels, classes); pass the model's spec.");

        nn.Module<Tensor, Tensor> model = spec.Kind == ModelKind.Teacher ? new TeacherNet(spec) : new StudentNet(spec);
        try
        {
            LoadWeights(model, stream, header, path);
            return model;
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    private static void LoadWeights(nn.Module<Tensor, Tensor> model, Stream stream, SafetensorsFile.Header header, string path)
    {
        var expected = model.state_dict();
        var found = header.Tensors.ToDictionary(t => t.Name);
        var missing = expected.Keys.Where(k => !found.ContainsKey(k)).ToList();
        var unexpected = found.Keys.Where(k => !expected.ContainsKey(k)).ToList();
        if (missing.Count > 0 || unexpected.Count > 0)
            throw new InvalidDataException($"'{path}' does not fit a {model.GetType().Name}: " + string.Join("; ",
                new[] { (missing, "missing"), (unexpected, "unexpected") }.Where(x => x.Item1.Count > 0)
                    .Select(x => $"{x.Item2} {string.Join(", ", x.Item1.Take(8).Select(Quote.Short))}")) + ".");

        using var _ = no_grad();
        foreach (var (name, target) in expected)
        {
            var entry = found[name];
            if (entry.Dtype != "F32")
                throw new InvalidDataException($"'{path}': tensor '{name}' is {entry.Dtype}; DistillLab loads F32 weights only.");
            if (!entry.Shape.SequenceEqual(target.shape))
                throw new InvalidDataException($"'{path}': tensor '{name}' has shape [{string.Join(", ", entry.Shape)}] but the model needs [{string.Join(", ", target.shape)}] (another image size or class count?).");
            using var values = tensor(SafetensorsFile.ReadFloats(stream, header, entry), entry.Shape);
            target.copy_(values);
        }
    }

    /// <summary>Writes through <see cref="AtomicFile"/>, after checks that turn a bad path into a message naming it.</summary>
    private static void WriteFile(string path, Action<Stream> write)
    {
        var full = Path.GetFullPath(path);
        var folder = Path.GetDirectoryName(full)!;
        if (Directory.Exists(full))
            throw new IOException($"Cannot export to '{path}': it is a folder; give a file name such as teacher.onnx.");
        if (!Directory.Exists(folder))
            throw new DirectoryNotFoundException($"Cannot export to '{path}': the folder '{folder}' does not exist.");
        try
        {
            AtomicFile.Write(full, write);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new UnauthorizedAccessException($"Cannot export to '{path}': no permission to write in '{folder}'.", e);
        }
        catch (IOException e)
        {
            throw new IOException($"Cannot export to '{path}': {e.Message}", e);
        }
    }
}
