using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace DistillLab.Web.Hosting;

/// <summary>The dashboard has no login: when it listens beyond this machine, say so loudly at start.</summary>
public sealed class ExposureWarning(IServer server, IHostApplicationLifetime lifetime, IConfiguration configuration, ILogger<ExposureWarning> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStarted.Register(Check);
        return Task.CompletedTask;
    }

    private void Check()
    {
        var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var exposed = addresses.Where(a => !Uri.TryCreate(a, UriKind.Absolute, out var u) || !CrossSiteGuard.IsLoopback(u.Host)).ToList();
        if (exposed.Count == 0) return;
        logger.LogWarning(
            "DistillLab listens on {Addresses}, beyond this machine, and has no login: anyone who can reach it can start, cancel " +
            "and delete runs and read the data it trains on. AllowedHosts is '{AllowedHosts}' (requests for other host names get 400). " +
            "Put it behind a reverse proxy with authentication (docs/security.md).",
            string.Join(", ", exposed), configuration["AllowedHosts"]);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
