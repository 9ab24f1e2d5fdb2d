using DistillLab.Core.Runtime;

namespace DistillLab.Web.Components.Pages.Lab;

/// <summary>The default image size for a device choice (64 px on CPU, the lab's 224 px on CUDA), as the runner picks it.</summary>
public static class DeviceDefaults
{
    public static int ImageSize(string device)
    {
        try { return TorchRuntime.DefaultImageSize(TorchRuntime.ResolveDevice(device)); }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException) { return 224; }
    }
}
