using System.Runtime.InteropServices;

namespace DistillLab.Web.Hosting;

/// <summary>Gives the C heap's free pages back to the system (glibc's malloc_trim).</summary>
/// <remarks>ImageSharp's unpooled pixel buffers come from malloc. Once glibc has raised its mmap threshold, freed
/// picture buffers stay in its per-thread arenas: after two 49-megapixel decodes ~300 MB stayed resident for good
/// (measured, docs/benchmarks-dashboard.md). Trimming after a burst gives them back. Elsewhere (musl, macOS,
/// Windows) there is nothing to call and nothing is done.</remarks>
internal static class NativeHeap
{
    public static void Trim()
    {
        if (!OperatingSystem.IsLinux()) return;
        try { malloc_trim(0); }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException) { }
    }

    [DllImport("libc", EntryPoint = "malloc_trim")]
    private static extern int malloc_trim(nuint pad);
}
