namespace DistillLab.Core.Models;

public enum ModelKind { Teacher, Student }

/// <summary>What a model is built for: its kind, square input size, input channels and number of classes.</summary>
public sealed record ModelSpec(ModelKind Kind, int ImageSize, int Channels = 3, int Classes = 2)
{
    /// <summary>Refuses input sizes the teacher cannot take, before any tensor is allocated.</summary>
    public static void EnsureTeacherFits(int imageSize)
    {
        if (imageSize < TeacherNet.MinimumInputSize)
            throw new ArgumentOutOfRangeException(nameof(imageSize), imageSize,
                $"Image size {imageSize} is too small for the teacher: its four valid 3x3 conv + 2x2 pool stages need at least {TeacherNet.MinimumInputSize} x {TeacherNet.MinimumInputSize} pixels.");
    }
}
