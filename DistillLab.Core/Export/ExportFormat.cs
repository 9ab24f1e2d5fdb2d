namespace DistillLab.Core.Export;

/// <summary>The file formats a trained model exports to.</summary>
public enum ExportFormat
{
    /// <summary>ONNX (opset 17): the whole inference graph with its weights, for ONNX Runtime and friends.</summary>
    Onnx,
    /// <summary>safetensors: the weights under PyTorch's state-dict names, for the PyTorch definitions in docs/export.md.</summary>
    Safetensors,
}
