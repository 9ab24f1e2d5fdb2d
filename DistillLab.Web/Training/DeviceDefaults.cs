using TorchSharp;

namespace DistillLab.Web.Training;

/// <summary>The default image size for a device choice: 64 px on CPU, the lab's 224 px on CUDA.</summary>
public static class DeviceDefaults
{
    private static readonly Lazy<bool> CudaAvailable = new(() =>
    {
        try { return torch.cuda.is_available(); }
        catch (Exception) { return false; }
    });

    public static int ImageSize(string device) => device switch
    {
        "cuda" => 224,
        "auto" when CudaAvailable.Value => 224,
        _ => 64,
    };
}
