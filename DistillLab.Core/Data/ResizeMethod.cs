namespace DistillLab.Core.Data;

/// <summary>How a photo becomes size x size pixels.</summary>
public enum ResizeMethod
{
    /// <summary>The reference lab's `tf.image.resize` defaults: bilinear, half-pixel centres, no antialiasing.</summary>
    Lab,
    /// <summary>ImageSharp's Triangle resampler, antialiased: smoother when shrinking a large photo a lot.</summary>
    Smooth,
}

public static class ResizeMethods
{
    public const string Allowed = "lab (tf.image.resize: bilinear, no antialiasing) or smooth (antialiased triangle filter)";

    /// <summary>The lab's photos are resized as the lab does; other file sources keep the smooth filter they always had.</summary>
    public static ResizeMethod DefaultFor(DataSourceKind kind) => kind == DataSourceKind.PetImages ? ResizeMethod.Lab : ResizeMethod.Smooth;

    /// <summary>"lab" or "smooth" (any case); null for anything else.</summary>
    public static ResizeMethod? Parse(string? text) => text?.Trim().ToLowerInvariant() switch
    {
        "lab" => ResizeMethod.Lab,
        "smooth" => ResizeMethod.Smooth,
        _ => null,
    };

    public static string Name(ResizeMethod method) => method == ResizeMethod.Lab ? "lab" : "smooth";
}
