using DistillLab.Core.Data;

namespace DistillLab.Tests.Support;

internal static class ImageSetExtensions
{
    /// <summary>All images' bytes in one array, for comparing small sets in tests.</summary>
    public static byte[] AllPixels(this ImageSet set)
    {
        var all = new byte[(long)set.Count * set.ImageBytes];
        for (int i = 0; i < set.Count; i++) set.Image(i).CopyTo(all.AsSpan(i * set.ImageBytes, set.ImageBytes));
        return all;
    }
}
