using DistillLab.Core.Models;
using static TorchSharp.torch;

namespace DistillLab.Core.Export;

/// <summary>The forward pass of each model the lab builds, step by step, as the ONNX graph repeats it.</summary>
/// <remarks>These lists restate <see cref="TeacherNet"/>.forward and <see cref="StudentNet"/>.forward; a change to
/// either must be made here too (the ONNX equality tests fail otherwise). Dropout is the identity at inference, so it
/// has no step.</remarks>
internal static class InferencePlan
{
    public static IReadOnlyList<InferenceStep> For(nn.Module model) => model switch
    {
        TeacherNet =>
        [
            new InferenceStep.Conv("conv1"), new InferenceStep.Relu(), new InferenceStep.MaxPool("pool"),
            new InferenceStep.Conv("conv2"), new InferenceStep.Relu(), new InferenceStep.MaxPool("pool"), // dropout1
            new InferenceStep.Conv("conv3"), new InferenceStep.Relu(), new InferenceStep.MaxPool("pool"),
            new InferenceStep.Conv("conv4"), new InferenceStep.Relu(), new InferenceStep.MaxPool("pool"), // dropout2
            new InferenceStep.Flatten(),
            new InferenceStep.Dense("fc1"), new InferenceStep.Relu(),
            new InferenceStep.Dense("fc2"),
        ],
        StudentNet =>
        [
            new InferenceStep.Conv("conv1"), new InferenceStep.Relu(), new InferenceStep.MaxPool("pool"),
            new InferenceStep.Flatten(),
            new InferenceStep.Dense("fc"),
        ],
        _ => throw new ArgumentException($"Cannot export a {model.GetType().Name}: DistillLab exports {nameof(TeacherNet)} and {nameof(StudentNet)}.", nameof(model)),
    };

    /// <summary>The spec a model was built for.</summary>
    public static ModelSpec SpecOf(nn.Module model) => model switch
    {
        TeacherNet teacher => teacher.Spec,
        StudentNet student => student.Spec,
        _ => throw new ArgumentException($"Cannot export a {model.GetType().Name}: DistillLab exports {nameof(TeacherNet)} and {nameof(StudentNet)}.", nameof(model)),
    };
}
