namespace DistillLab.Core.Export;

/// <summary>One step of a model's forward pass at inference, naming the submodule (as in the state dict) whose
/// settings and weights it uses.</summary>
internal abstract record InferenceStep
{
    /// <summary>A Conv2d submodule: ONNX Conv with its weight and bias.</summary>
    public sealed record Conv(string Module) : InferenceStep;

    /// <summary>A MaxPool2d submodule: ONNX MaxPool.</summary>
    public sealed record MaxPool(string Module) : InferenceStep;

    /// <summary>A Linear submodule (y = x W^T + b): ONNX Gemm with transB = 1.</summary>
    public sealed record Dense(string Module) : InferenceStep;

    public sealed record Relu : InferenceStep;

    /// <summary>flatten(1) of NCHW: ONNX Flatten with axis 1 keeps the same C, H, W order.</summary>
    public sealed record Flatten : InferenceStep;
}
