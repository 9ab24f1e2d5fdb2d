using DistillLab.Core.Data;
using DistillLab.Web.Settings;
using DistillLab.Web.Predictions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace DistillLab.Tests.Support;

/// <summary>The dashboard's upload decoder, except that every decode waits for <see cref="Release"/> before it runs,
/// so a test holds decode slots for as long as it needs instead of racing a fast decode.</summary>
public sealed class HeldUploadDecoder(IOptions<DashboardOptions> options) : UploadDecoder(options)
{
    private readonly ManualResetEventSlim release = new(initialState: false);
    private int started;

    /// <summary>Decodes that hold a slot (waiting for release, or done).</summary>
    public int Started => Volatile.Read(ref started);

    public void Release() => release.Set();

    protected override ImageSet Decode(byte[] bytes, int imageSize, ResizeMethod resize, long maxDecodeBytes)
    {
        Interlocked.Increment(ref started);
        // Bounded, so a failing test ends instead of hanging the run.
        release.Wait(TimeSpan.FromMinutes(2));
        return base.Decode(bytes, imageSize, resize, maxDecodeBytes);
    }

    /// <summary>For <see cref="DashboardHost"/>'s services: the app's decoder becomes a held one, reachable as itself.</summary>
    public static void Register(IServiceCollection services)
    {
        services.AddSingleton<HeldUploadDecoder>();
        services.Replace(ServiceDescriptor.Singleton<UploadDecoder>(sp => sp.GetRequiredService<HeldUploadDecoder>()));
    }
}
