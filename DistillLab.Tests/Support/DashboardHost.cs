using System.Net.Http.Json;
using System.Text.Json;
using DistillLab.Web.Hosting;
using DistillLab.Web.Runs;
using DistillLab.Web.Training;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace DistillLab.Tests.Support;

/// <summary>The dashboard on real Kestrel (127.0.0.1, a free port) with its own temporary data folder.
/// Pass an engine to script runs; without one it trains for real with Core's LabRunner.</summary>
public sealed class DashboardHost : WebApplicationFactory<Program>
{
    private readonly ILabEngine? engine;
    private readonly Dictionary<string, string?> settings;
    private readonly bool ownsDirectory;
    private readonly Action<IServiceCollection>? replaceServices;

    /// <param name="services">Replaces services after the app's own registrations (e.g. a decoder that holds its slots).</param>
    public DashboardHost(ILabEngine? engine = null, string? dataDirectory = null, IDictionary<string, string?>? settings = null,
        Action<IServiceCollection>? services = null)
    {
        this.engine = engine;
        replaceServices = services;
        ownsDirectory = dataDirectory is null;
        DataDirectory = dataDirectory ?? Path.Combine(Path.GetTempPath(), "distilllab-web-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(DataDirectory);
        this.settings = new Dictionary<string, string?>
        {
            ["Data:Directory"] = DataDirectory,
            ["Data:Roots:0"] = DataDirectory,
            ["Urls"] = "http://127.0.0.1:0",
            ["Torch:Threads"] = "2",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) this.settings[key] = value;
        UseKestrel(0);
    }

    public string DataDirectory { get; }

    /// <summary>What the server logged (Warning and up unless the settings lower Logging:LogLevel:Default).</summary>
    public ServerLog Log { get; } = new();

    public static readonly JsonSerializerOptions Json = JsonDefaults.Apply(new JsonSerializerOptions(JsonSerializerDefaults.Web));

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.ConfigureAppConfiguration((_, configuration) => configuration.AddInMemoryCollection(settings));
        builder.ConfigureLogging(logging => logging.AddProvider(Log));
        if (engine is not null)
            builder.ConfigureServices(services => services.Replace(ServiceDescriptor.Singleton(engine)));
        if (replaceServices is not null) builder.ConfigureServices(replaceServices);
    }

    public Uri BaseAddress
    {
        get
        {
            StartServer();
            var address = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            return new Uri(address.Replace("[::]", "127.0.0.1").Replace("0.0.0.0", "127.0.0.1"));
        }
    }

    public HttpClient Http() => new() { BaseAddress = BaseAddress, Timeout = TimeSpan.FromMinutes(3) };

    public async Task<HubConnection> ConnectHubAsync()
    {
        var hub = new HubConnectionBuilder()
            .WithUrl(new Uri(BaseAddress, "/hubs/training"))
            .AddJsonProtocol(o => JsonDefaults.Apply(o.PayloadSerializerOptions))
            .Build();
        await hub.StartAsync();
        return hub;
    }

    /// <summary>A folder source inside the data root: <paramref name="perClass"/> small PNGs per class that a CNN separates in one epoch.</summary>
    public string CreateImageFolder(string name = "tiny", int perClass = 40, int size = 40)
    {
        var folder = Path.Combine(DataDirectory, name);
        var random = new Random(7);
        foreach (var (cls, baseColor) in new[] { ("cat", new Rgb24(200, 80, 60)), ("dog", new Rgb24(60, 90, 200)) })
        {
            Directory.CreateDirectory(Path.Combine(folder, cls));
            for (int i = 0; i < perClass; i++)
            {
                using var image = new Image<Rgb24>(size, size);
                for (int y = 0; y < size; y++)
                    for (int x = 0; x < size; x++)
                        image[x, y] = new Rgb24(Jitter(baseColor.R), Jitter(baseColor.G), Jitter(baseColor.B));
                image.SaveAsPng(Path.Combine(folder, cls, $"{i:D3}.png"));
            }
        }
        return "folder:" + folder;

        byte Jitter(byte value) => (byte)Math.Clamp(value + random.Next(-50, 51), 0, 255);
    }

    public static object TinyRun(string data, double alpha = 0.05, bool? reuseTeacher = null) => new
    {
        data, imageSize = 46, limit = 60, teacherEpochs = 1, studentEpochs = 1, alpha, batchSize = 16, reuseTeacher,
    };

    public async Task<string> SubmitAsync(HttpClient http, object body)
    {
        var response = await http.PostAsJsonAsync("/api/runs", body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.Accepted, $"{(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.GetProperty("id").GetString()!;
    }

    public async Task<RunDetails> WaitForAsync(HttpClient http, string id, Func<RunDetails, bool> done, int seconds = 120)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var run = (await http.GetFromJsonAsync<RunDetails>($"/api/runs/{id}", Json))!;
            if (done(run)) return run;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Run {id} is still {run.Status} after {seconds} s.");
            await Task.Delay(100);
        }
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing && ownsDirectory && Directory.Exists(DataDirectory))
            try { Directory.Delete(DataDirectory, recursive: true); } catch (IOException) { }
    }
}
