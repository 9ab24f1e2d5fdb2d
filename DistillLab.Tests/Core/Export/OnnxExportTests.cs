using DistillLab.Tests.Support;
using DistillLab.Core;
using DistillLab.Core.Data;
using DistillLab.Core.Experiments;
using DistillLab.Core.Export;
using DistillLab.Core.Models;
using DistillLab.Core.Training;
using Microsoft.ML.OnnxRuntime;
using Xunit.Abstractions;
using static DistillLab.Tests.Core.Export.ExportTestModels;
using static TorchSharp.torch;

namespace DistillLab.Tests.Core.Export;

[Collection(TorchCollection.Name)]
public sealed class OnnxExportTests(ITestOutputHelper output)
{
    private const float Tolerance = 1e-4f;

    // Both students (scratch and distilled) are StudentNet: one architecture, tested once per size here and once
    // each, trained, in the lab-run test below.
    [Theory]
    [InlineData(ModelKind.Teacher, 48)]
    [InlineData(ModelKind.Teacher, 64)]
    [InlineData(ModelKind.Student, 48)]
    [InlineData(ModelKind.Student, 64)]
    public void OnnxRuntimeGivesTorchSharpsLogitsOn32ImagesWithin1e4(ModelKind kind, int size)
    {
        using var model = Build(kind, size, seed: 11);
        using var images = Images(32, size, seed: 5);

        var expected = TorchLogits(model, images);
        var (actual, shape) = OnnxLogits(OnnxBytes(model), images);

        Assert.Equal([32L, 2L], shape);
        float difference = MaxDifference(expected, actual);
        output.WriteLine($"{kind} {size} px: largest |ONNX - TorchSharp| over 32 x 2 logits = {difference:E2}");
        Assert.True(difference <= Tolerance, $"ONNX differs from TorchSharp by {difference} (> {Tolerance}).");
        // Logits that vary from image to image: a graph that ignored its input could not pass.
        Assert.True(expected.Max() - expected.Min() > 0.01f, "the model's logits barely vary; the comparison would prove little");
    }

    [Fact]
    public void AllThreeModelsOfABrieflyTrainedRunMatchTorchSharp()
    {
        // Trained weights, not just initial ones: one epoch each on tiny data through the real lab.
        var config = new LabConfig { Data = "tiny", TeacherEpochs = 1, StudentEpochs = 1, BatchSize = 16, Seed = 3 };
        using var outcome = new LabRunner(new LabEnvironment(Path.GetTempPath())).Run(config, TinyData.Lab(), CPU, _ => { }, CancellationToken.None);
        using var images = Images(32, 48, seed: 9);
        foreach (var (role, model) in new (ModelRole, nn.Module<Tensor, Tensor>)[]
                 { (ModelRole.Teacher, outcome.Teacher), (ModelRole.StudentScratch, outcome.StudentScratch), (ModelRole.StudentDistilled, outcome.StudentDistilled) })
        {
            var expected = TorchLogits(model, images);
            var (actual, _) = OnnxLogits(OnnxBytes(model, ExportMetadata.For(outcome.Result, role)), images);
            float difference = MaxDifference(expected, actual);
            output.WriteLine($"trained {ModelRoles.Key(role)}: largest difference {difference:E2}");
            Assert.True(difference <= Tolerance, $"{role}: ONNX differs from TorchSharp by {difference}.");
        }
        // The two students saw the same batches from the same start; only the teacher made them differ.
        Assert.NotEqual(TorchLogits(outcome.StudentScratch, images), TorchLogits(outcome.StudentDistilled, images));
    }

    [Fact]
    public void TheGraphTakesABatchOfImagesInZeroToOneAndSaysSoInItsMetadata()
    {
        using var model = Build(ModelKind.Student, 64, seed: 1, classes: 3);
        var metadata = new ExportMetadata(["ant", "bee", "cat"]) { Role = "studentDistilled", Seed = 42, Data = "folder:/x", Resize = "smooth" };
        using var session = new InferenceSession(OnnxBytes(model, metadata));

        var input = session.InputMetadata[ModelExport.OnnxInput];
        Assert.Equal([-1, 3, 64, 64], input.Dimensions);
        Assert.Equal("N", input.SymbolicDimensions[0]);
        Assert.Equal(typeof(float), input.ElementType);
        Assert.Equal([-1, 3], session.OutputMetadata[ModelExport.OnnxOutput].Dimensions);

        var props = session.ModelMetadata.CustomMetadataMap;
        Assert.Equal("DistillLab", session.ModelMetadata.ProducerName);
        Assert.Equal("""["ant","bee","cat"]""", props["class_names"]);
        Assert.Equal("64", props["image_size"]);
        Assert.Equal("3", props["channels"]);
        Assert.Equal("StudentNet", props["architecture"]);
        Assert.Equal("studentDistilled", props["role"]);
        Assert.Equal("42", props["seed"]);
        Assert.Equal("smooth", props["resize"]);
        Assert.Contains("divide the 8-bit RGB values by 255; the division is not part of the model", props["preprocessing"]);
        Assert.Contains("[0, 1]", props["input"]);
    }

    [Fact]
    public void TheGraphIsOpset17WithOneNodePerInferenceLayerAndNoDropout()
    {
        using var teacher = Build(ModelKind.Teacher, 48, seed: 1);
        var onnx = global::Onnx.ModelProto.Parser.ParseFrom(OnnxBytes(teacher));

        Assert.Equal(17, Assert.Single(onnx.OpsetImport).Version);
        Assert.Equal(["Conv", "Relu", "MaxPool", "Conv", "Relu", "MaxPool", "Conv", "Relu", "MaxPool", "Conv", "Relu", "MaxPool",
            "Flatten", "Gemm", "Relu", "Gemm"], onnx.Graph.Node.Select(n => n.OpType));
        Assert.Equal(teacher.state_dict().Keys, onnx.Graph.Initializer.Select(i => i.Name));
        Assert.Equal("logits", onnx.Graph.Node[^1].Output.Single());
    }

    [Fact]
    public void ClassNamesThatDoNotMatchTheLogitsAreRefused()
    {
        using var model = Build(ModelKind.Student, 48, seed: 1);
        var error = Assert.Throws<ArgumentException>(() => OnnxBytes(model, new ExportMetadata(["only one"])));
        Assert.Contains("1 classes but the model has 2 logits", error.Message);
    }
}
