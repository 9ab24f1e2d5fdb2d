using DistillLab.Web.Settings;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace DistillLab.Web.Hosting;

/// <summary>Stops other web sites from driving the dashboard through a visitor's browser (cross-site request forgery,
/// cross-site WebSocket hijacking). A browser always names the page's origin on a POST and a WebSocket upgrade:
/// a foreign one gets 403. API bodies must be JSON (415 otherwise), which a plain HTML form cannot send.</summary>
/// <remarks>Clients that are not browsers (curl, the SignalR .NET client) send no Origin and are not affected.
/// DNS rebinding, where the attacker's name points at 127.0.0.1, is stopped by AllowedHosts (400).</remarks>
public sealed class CrossSiteGuard(RequestDelegate next, IServer server, IOptions<SecurityOptions> security)
{
    private readonly HashSet<string> extraOrigins = security.Value.AllowedOrigins
        .Select(o => o.TrimEnd('/')).ToHashSet(StringComparer.OrdinalIgnoreCase);

    public async Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        bool changesState = !HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method) && !HttpMethods.IsOptions(request.Method);
        // By header: the WebSocket middleware that sets IsWebSocketRequest runs after this one.
        bool upgrade = request.Headers.Upgrade.Any(u => string.Equals(u, "websocket", StringComparison.OrdinalIgnoreCase))
                       || HttpMethods.IsConnect(request.Method);
        if ((changesState || upgrade) && !IsOwnOrigin(request))
        {
            await Refuse(context, StatusCodes.Status403Forbidden, "Cross-site request refused",
                $"Requests from another site's pages may not change this dashboard. Allowed origins: the dashboard's own addresses{(extraOrigins.Count > 0 ? " and " + string.Join(", ", extraOrigins) : "")} (setting Security:AllowedOrigins).");
            return;
        }
        if (changesState && request.Path.StartsWithSegments("/api") && WrongContentType(request) is { } allowed)
        {
            await Refuse(context, StatusCodes.Status415UnsupportedMediaType, "Unsupported content type",
                $"This endpoint takes {allowed}; got '{Core.Quote.Short(request.ContentType)}'.");
            return;
        }
        await next(context);
    }

    private bool IsOwnOrigin(HttpRequest request)
    {
        string? origin = request.Headers.Origin;
        if (string.IsNullOrEmpty(origin))
        {
            // Older browsers omit Origin on some requests but say where a request comes from in Sec-Fetch-Site.
            return request.Headers["Sec-Fetch-Site"] is not ["cross-site"];
        }
        if (extraOrigins.Contains(origin.TrimEnd('/'))) return true;
        if (!Uri.TryCreate(origin, UriKind.Absolute, out var from)) return false;
        return OwnAddresses().Any(own => SameOrigin(from, own, request));
    }

    /// <summary>The addresses Kestrel listens on, as it reports them (ports resolved, e.g. after port 0).</summary>
    private IEnumerable<Uri> OwnAddresses() =>
        (server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [])
            .Select(a => Uri.TryCreate(a.Replace("://+", "://0.0.0.0").Replace("://*", "://0.0.0.0"), UriKind.Absolute, out var u) ? u : null)
            .OfType<Uri>();

    private static bool SameOrigin(Uri from, Uri own, HttpRequest request)
    {
        if (!from.Scheme.Equals(own.Scheme, StringComparison.OrdinalIgnoreCase) || from.Port != own.Port) return false;
        if (IsLoopback(own.Host)) return IsLoopback(from.Host);
        // Listening on every interface: the page must come from the host name this request was sent to, which
        // AllowedHosts has already vetted.
        if (own.Host is "0.0.0.0" or "[::]") return from.Host.Equals(request.Host.Host, StringComparison.OrdinalIgnoreCase);
        return from.Host.Equals(own.Host, StringComparison.OrdinalIgnoreCase);
    }

    internal static bool IsLoopback(string host) => host is "localhost" or "127.0.0.1" or "[::1]" or "::1";

    /// <summary>What the endpoint takes when the request's content type is not it; null when it is acceptable.</summary>
    private static string? WrongContentType(HttpRequest request)
    {
        if (request.Path.Value?.EndsWith("/predict", StringComparison.Ordinal) == true)
            return request.HasFormContentType && request.ContentType!.StartsWith("multipart/form-data", StringComparison.OrdinalIgnoreCase)
                ? null : "multipart/form-data (an image file)";
        // A POST that only names an action (cancel, start the download) may have no body at all.
        bool hasBody = request.ContentLength > 0 || request.Headers.TransferEncoding.Count > 0 || request.ContentType is not null;
        if (!hasBody) return null;
        var type = request.ContentType?.Split(';')[0].Trim() ?? "";
        return type.Equals("application/json", StringComparison.OrdinalIgnoreCase) || type.EndsWith("+json", StringComparison.OrdinalIgnoreCase)
            ? null : "application/json";
    }

    private static Task Refuse(HttpContext context, int status, string title, string detail)
    {
        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(new { type = "about:blank", title, status, detail }, options: null, contentType: "application/problem+json");
    }
}
