using DistillLab.Tests.Support;
using System.Buffers.Binary;
using System.Text.Json;
using DistillLab.Core.Export;
using DistillLab.Core.Models;
using static DistillLab.Tests.Core.Export.ExportTestModels;
using static TorchSharp.torch;

namespace DistillLab.Tests.Core.Export;

[Collection(TorchCollection.Name)]
public sealed class SafetensorsExportTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("dl-safetensors-").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);

    // The names a PyTorch module with these attributes has (docs/export.md gives the definitions).
    public static TheoryData<ModelKind, string[]> PyTorchNames => new()
    {
        { ModelKind.Teacher, ["conv1.weight", "conv1.bias", "conv2.weight", "conv2.bias", "conv3.weight", "conv3.bias",
            "conv4.weight", "conv4.bias", "fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias"] },
        { ModelKind.Student, ["conv1.weight", "conv1.bias", "fc.weight", "fc.bias"] },
    };

    [Theory]
    [MemberData(nameof(PyTorchNames))]
    public void TheHeaderListsEveryStateDictTensorAsF32WithItsShapeAndTheBytesFollowIt(ModelKind kind, string[] names)
    {
        using var model = Build(kind, 48, seed: 2);
        var path = Path.Combine(root, "model.safetensors");
        ModelExport.WriteSafetensors(model, CatsDogs, path);

        // Parsed here by the format's rules, not by DistillLab's reader.
        var bytes = File.ReadAllBytes(path);
        long headerLength = (long)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        Assert.Equal(0, (8 + headerLength) % 8);
        using var header = JsonDocument.Parse(bytes.AsMemory(8, (int)headerLength));
        var tensors = header.RootElement.EnumerateObject().Where(p => p.Name != "__metadata__").ToList();
        Assert.Equal(names, tensors.Select(t => t.Name));

        var state = model.state_dict();
        long end = 0;
        foreach (var entry in tensors)
        {
            Assert.Equal("F32", entry.Value.GetProperty("dtype").GetString());
            Assert.Equal(state[entry.Name].shape, entry.Value.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()));
            var offsets = entry.Value.GetProperty("data_offsets").EnumerateArray().Select(d => d.GetInt64()).ToArray();
            Assert.Equal(end, offsets[0]);
            end = offsets[1];
            var stored = new float[(offsets[1] - offsets[0]) / 4];
            Buffer.BlockCopy(bytes, (int)(8 + headerLength + offsets[0]), stored, 0, stored.Length * 4);
            Assert.Equal(state[entry.Name].data<float>().ToArray(), stored);
        }
        Assert.Equal(bytes.Length, 8 + headerLength + end);

        var metadata = header.RootElement.GetProperty("__metadata__");
        Assert.Equal("""["cat","dog"]""", metadata.GetProperty("class_names").GetString());
        Assert.Equal("48", metadata.GetProperty("image_size").GetString());
        Assert.Equal(ExportMetadata.ArchitectureName(kind), metadata.GetProperty("architecture").GetString());
    }

    [Theory]
    [InlineData(ModelKind.Teacher, 64)]
    [InlineData(ModelKind.Student, 48)]
    public void AnExportLoadsBackIntoTorchSharpWithIdenticalLogits(ModelKind kind, int size)
    {
        using var model = Build(kind, size, seed: 4);
        var path = Path.Combine(root, "model.safetensors");
        ModelExport.WriteSafetensors(model, CatsDogs, path);

        // Another seed, so the loaded model starts from other weights and only the file can make them equal.
        manual_seed(99);
        using var loaded = ModelExport.LoadSafetensors(path);
        using var images = Images(32, size, seed: 6);

        Assert.IsType(model.GetType(), loaded);
        Assert.Equal(TorchLogits(model, images), TorchLogits(loaded, images));
    }

    [Fact]
    public void AFileForAnotherImageSizeIsRefusedNamingTheTensorAndBothShapes()
    {
        using var model = Build(ModelKind.Student, 48, seed: 1);
        var path = Path.Combine(root, "student.safetensors");
        ModelExport.WriteSafetensors(model, CatsDogs, path);

        var error = Assert.Throws<InvalidDataException>(() => ModelExport.LoadSafetensors(path, new ModelSpec(ModelKind.Student, 64)));
        Assert.Contains("tensor 'fc.weight' has shape [2, 16928] but the model needs [2, 30752]", error.Message);
    }

    [Fact]
    public void AFileForTheOtherArchitectureIsRefusedNamingTheMissingTensors()
    {
        using var model = Build(ModelKind.Student, 48, seed: 1);
        var path = Path.Combine(root, "student.safetensors");
        ModelExport.WriteSafetensors(model, CatsDogs, path);

        var error = Assert.Throws<InvalidDataException>(() => ModelExport.LoadSafetensors(path, new ModelSpec(ModelKind.Teacher, 48)));
        Assert.Contains("does not fit a TeacherNet: missing conv2.weight", error.Message);
        Assert.Contains("unexpected fc.weight, fc.bias", error.Message);
    }

    [Fact]
    public void ATruncatedFileIsRefusedAsNotValidSafetensors()
    {
        using var model = Build(ModelKind.Student, 48, seed: 1);
        var path = Path.Combine(root, "student.safetensors");
        ModelExport.WriteSafetensors(model, CatsDogs, path);
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..^4]);

        var error = Assert.Throws<InvalidDataException>(() => ModelExport.LoadSafetensors(path));
        Assert.Contains("is not a valid safetensors file", error.Message);
        Assert.Contains("data_offsets outside the file", error.Message);
    }

    [Fact]
    public void AFileWithoutDistillLabMetadataNeedsASpec()
    {
        var path = Path.Combine(root, "bare.safetensors");
        var header = """{"x":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}"""u8.ToArray();
        var bytes = new byte[8 + header.Length + 4];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)header.Length);
        header.CopyTo(bytes, 8);
        File.WriteAllBytes(path, bytes);

        var error = Assert.Throws<InvalidDataException>(() => ModelExport.LoadSafetensors(path));
        Assert.Contains("does not say which model it holds", error.Message);
    }

    [Fact]
    public void AMissingFileIsNamed()
    {
        var error = Assert.Throws<FileNotFoundException>(() => ModelExport.LoadSafetensors(Path.Combine(root, "nope.safetensors")));
        Assert.Contains("nope.safetensors' does not exist", error.Message);
    }
}
