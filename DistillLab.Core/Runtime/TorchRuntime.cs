using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace DistillLab.Core.Runtime;

/// <summary>The "Torch" section of appsettings.json.</summary>
/// <param name="Device">auto | cpu | cuda: what a run's device "auto" (its default) means on this machine; auto = CUDA when usable, else CPU.</param>
/// <param name="LibTorchPath">A PyTorch install's lib folder (…/site-packages/torch/lib): load libtorch from there, which gives CUDA on Linux.</param>
/// <param name="Threads">CPU threads for libtorch; 0 keeps libtorch's default (one per core).</param>
public sealed record TorchSettings(string Device = "auto", string? LibTorchPath = null, int Threads = 0);

/// <summary>Process-wide libtorch set-up and device choice.</summary>
/// <remarks>libtorch is loaded once per process, so this is one of the few static places in Core.</remarks>
public static class TorchRuntime
{
    private static readonly Lock Gate = new();
    private static bool configured;
    private static string machineDefault = "auto";

    /// <summary>Loads libtorch (from <see cref="TorchSettings.LibTorchPath"/> when given) and sets the thread count. Safe to call more than once.</summary>
    public static void Configure(TorchSettings settings)
    {
        lock (Gate)
        {
            if (configured) return;
            if (!string.IsNullOrWhiteSpace(settings.LibTorchPath))
                LoadExternalLibTorch(settings.LibTorchPath);
            EnsureNativeLoads();
            if (settings.Threads < 0)
                throw new ArgumentOutOfRangeException(nameof(settings), $"Torch:Threads must be 0 (libtorch's default) or a positive count; got {settings.Threads}.");
            if (settings.Threads > 0)
                torch.set_num_threads(settings.Threads);
            if (settings.Device is not ("auto" or "cpu" or "cuda"))
                throw new ArgumentException($"Torch:Device must be auto, cpu or cuda; got '{settings.Device}'.", nameof(settings));
            machineDefault = settings.Device;
            configured = true;
        }
    }

    /// <summary>cpu and cuda force one (cuda without a usable GPU is an error); auto follows Torch:Device, and where
    /// that is auto too, picks CUDA when a GPU is usable, else CPU.</summary>
    public static Device ResolveDevice(string device) => (device == "auto" ? machineDefault : device) switch
    {
        "cpu" => CPU,
        "cuda" when cuda.is_available() => CUDA,
        "cuda" => throw new InvalidOperationException(
            "Device 'cuda' was asked for, but no CUDA GPU is usable: this build uses " + BackendDescription() +
            ". Build with -p:TorchBackend=cuda-windows or cuda-linux, or set Torch:LibTorchPath to a CUDA PyTorch install's lib folder, or use --device cpu."),
        "auto" => cuda.is_available() ? CUDA : CPU,
        _ => throw new ArgumentException($"Device '{device}' is not known. Allowed: auto, cpu, cuda.", nameof(device)),
    };

    /// <summary>The lab's 224 px is hours per epoch on a CPU, so the default size follows the device.</summary>
    public static int DefaultImageSize(Device device) => device.type == DeviceType.CUDA ? 224 : 64;

    private static string BackendDescription() =>
        cuda.is_available() ? "a CUDA libtorch" : "the CPU-only libtorch (TorchSharp-cpu)";

    // A failed native load otherwise surfaces as a bare DllNotFoundException deep inside the first tensor call.
    private static void EnsureNativeLoads()
    {
        try
        {
            using var probe = torch.zeros(1);
        }
        catch (Exception e) when (e is DllNotFoundException or TypeInitializationException or NotSupportedException)
        {
            throw new InvalidOperationException(
                "libtorch could not be loaded. On Debian 12 run scripts/setup.sh once (TorchSharp 0.107 needs GLIBCXX_3.4.32 from GCC 13's libstdc++). Details: " +
                e.GetBaseException().Message, e);
        }
    }

    // Order matters: each library resolves symbols from the ones loaded before it (ENVIRONMENT.md).
    private static void LoadExternalLibTorch(string folder)
    {
        if (!Directory.Exists(folder))
            throw new DirectoryNotFoundException($"Torch:LibTorchPath '{folder}' does not exist. Point it at a PyTorch install's torch/lib folder.");
        string[] names = OperatingSystem.IsWindows()
            ? ["c10.dll", "torch_cpu.dll", "c10_cuda.dll", "torch_cuda.dll", "torch.dll"]
            : ["libc10.so", "libtorch_cpu.so", "libc10_cuda.so", "libtorch_cuda.so", "libtorch.so"];
        foreach (var name in names)
        {
            var path = Path.Combine(folder, name);
            if (File.Exists(path)) NativeLibrary.Load(path);
        }
        var bridge = Path.Combine(AppContext.BaseDirectory, OperatingSystem.IsWindows() ? "LibTorchSharp.dll" : "libLibTorchSharp.so");
        if (!File.Exists(bridge))
            bridge = Directory.EnumerateFiles(AppContext.BaseDirectory, Path.GetFileName(bridge), SearchOption.AllDirectories).FirstOrDefault()
                ?? throw new FileNotFoundException($"{Path.GetFileName(bridge)} was not found beside the app.");
        NativeLibrary.Load(bridge);
        if (File.Exists(Path.Combine(folder, OperatingSystem.IsWindows() ? "torch_cuda.dll" : "libtorch_cuda.so")))
            torch.InitializeDeviceType(DeviceType.CUDA);
    }
}
