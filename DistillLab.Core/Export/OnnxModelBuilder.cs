using DistillLab.Core.Models;
using Google.Protobuf;
using Onnx;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DistillLab.Core.Export;

/// <summary>Builds the ONNX model of a lab model: its <see cref="InferencePlan"/> as ONNX nodes, its state dict as
/// initializers under the same names, and the export's metadata.</summary>
internal static class OnnxModelBuilder
{
    public const string InputName = "images";
    public const string OutputName = "logits";
    public const string BatchDimension = "N";

    // Opset 17 came with IR version 8 in ONNX 1.12: the oldest pair that meets the "opset 17 or later", so older
    // runtimes can read the file too. Nothing in the graph (Conv, Relu, MaxPool, Flatten, Gemm on float32) needs a later one.
    public const int Opset = 17;
    private const long IrVersion = 8;

    public static ModelProto Build(nn.Module<Tensor, Tensor> model, ExportMetadata metadata)
    {
        var spec = InferencePlan.SpecOf(model);
        var properties = metadata.Properties(spec);
        var modules = model.named_modules().ToDictionary(m => m.name, m => m.module);
        var weights = ModelWeights.Read(model).ToDictionary(w => w.Name);

        var graph = new GraphProto { Name = ExportMetadata.ArchitectureName(spec.Kind) };
        graph.Input.Add(Value(InputName, Dimension(BatchDimension), Dimension(spec.Channels), Dimension(spec.ImageSize), Dimension(spec.ImageSize)));
        graph.Output.Add(Value(OutputName, Dimension(BatchDimension), Dimension(spec.Classes)));

        var steps = InferencePlan.For(model);
        string current = InputName;
        for (int i = 0; i < steps.Count; i++)
        {
            string output = i == steps.Count - 1 ? OutputName : $"{Kind(steps[i])}_{i + 1}";
            var node = steps[i] switch
            {
                InferenceStep.Conv conv => ConvNode(Module<Conv2d>(modules, conv.Module), conv.Module, current, output),
                InferenceStep.MaxPool pool => MaxPoolNode(Module<MaxPool2d>(modules, pool.Module), current, output),
                InferenceStep.Dense dense => GemmNode(Module<Linear>(modules, dense.Module), dense.Module, current, output),
                InferenceStep.Relu => Node("Relu", [current], output),
                InferenceStep.Flatten => Node("Flatten", [current], output, Int("axis", 1)),
                var other => throw new NotSupportedException($"No ONNX mapping for {other}."),
            };
            node.Name = output;
            graph.Node.Add(node);
            current = output;
        }

        // Only the weights the graph reads, under their state-dict names, in state-dict order.
        var used = graph.Node.SelectMany(n => n.Input).ToHashSet();
        foreach (var weight in weights.Values.Where(w => used.Contains(w.Name)))
            graph.Initializer.Add(Initializer(weight));

        var onnx = new ModelProto
        {
            IrVersion = IrVersion,
            ProducerName = "DistillLab",
            ProducerVersion = ExportMetadata.ProducerVersion,
            DocString = $"DistillLab {graph.Name}: {spec.Channels} x {spec.ImageSize} x {spec.ImageSize} RGB images scaled to [0, 1] -> {spec.Classes} logits.",
            Graph = graph,
        };
        onnx.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = Opset });
        foreach (var (key, value) in properties)
            onnx.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value });
        return onnx;
    }

    private static NodeProto ConvNode(Conv2d conv, string name, string input, string output)
    {
        // ONNX Conv pads with zeros only, and takes explicit pads: refuse what would silently change the result.
        if (conv.padding_mode != PaddingModes.Zeros || conv.padding_type is not null && conv.padding_type != Padding.Valid || conv.transposed)
            throw new NotSupportedException($"Cannot export '{name}': only zero-padded, explicitly padded, non-transposed convolutions map to ONNX Conv here.");
        long[] pads = conv.padding_type == Padding.Valid || conv.padding is null ? [0, 0] : conv.padding;
        var inputs = conv.bias is null ? new[] { input, $"{name}.weight" } : [input, $"{name}.weight", $"{name}.bias"];
        return Node("Conv", inputs, output,
            Ints("kernel_shape", conv.kernel_size), Ints("strides", conv.stride), Ints("dilations", conv.dilation),
            Ints("pads", [.. pads, .. pads]), Int("group", conv.groups));
    }

    private static NodeProto MaxPoolNode(MaxPool2d pool, string input, string output)
    {
        long[] padding = pool.padding ?? [0, 0];
        long[] stride = pool.stride ?? pool.kernel_size; // PyTorch's default stride is the kernel size
        return Node("MaxPool", [input], output,
            Ints("kernel_shape", pool.kernel_size), Ints("strides", stride), Ints("pads", [.. padding, .. padding]),
            Ints("dilations", pool.dilation ?? [1, 1]), Int("ceil_mode", pool.ceil_mode ? 1 : 0));
    }

    private static NodeProto GemmNode(Linear linear, string name, string input, string output)
    {
        var inputs = linear.bias is null ? new[] { input, $"{name}.weight" } : [input, $"{name}.weight", $"{name}.bias"];
        // Linear's weight is [out, in]: y = x W^T + b.
        return Node("Gemm", inputs, output, Int("transB", 1));
    }

    private static T Module<T>(Dictionary<string, nn.Module> modules, string name) where T : nn.Module =>
        modules.TryGetValue(name, out var module) && module is T typed ? typed
            : throw new InvalidOperationException($"The model has no {typeof(T).Name} named '{name}' (the export plan and the model disagree).");

    private static string Kind(InferenceStep step) => step switch
    {
        InferenceStep.Conv c => c.Module,
        InferenceStep.Dense d => d.Module,
        InferenceStep.MaxPool => "pool",
        InferenceStep.Relu => "relu",
        _ => "flatten",
    };

    private static NodeProto Node(string op, string[] inputs, string output, params AttributeProto[] attributes)
    {
        var node = new NodeProto { OpType = op };
        node.Input.AddRange(inputs);
        node.Output.Add(output);
        node.Attribute.AddRange(attributes);
        return node;
    }

    private static AttributeProto Int(string name, long value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    private static AttributeProto Ints(string name, IEnumerable<long> values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        attribute.Ints.AddRange(values);
        return attribute;
    }

    private static TensorShapeProto.Types.Dimension Dimension(long size) => new() { DimValue = size };
    private static TensorShapeProto.Types.Dimension Dimension(string name) => new() { DimParam = name };

    private static ValueInfoProto Value(string name, params TensorShapeProto.Types.Dimension[] dimensions)
    {
        var shape = new TensorShapeProto();
        shape.Dim.AddRange(dimensions);
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = shape } },
        };
    }

    private static TensorProto Initializer(ModelWeights.Weight weight)
    {
        var tensor = new TensorProto { Name = weight.Name, DataType = (int)TensorProto.Types.DataType.Float, RawData = ByteString.CopyFrom(weight.Bytes) };
        tensor.Dims.AddRange(weight.Shape);
        return tensor;
    }
}
