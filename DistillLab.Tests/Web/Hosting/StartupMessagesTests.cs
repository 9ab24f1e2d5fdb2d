using DistillLab.Web.Hosting;
using DistillLab.Web.Settings;
using DistillLab.Web.Runs;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DistillLab.Tests.Web.Hosting;

/// <summary>What a person sees at start when the data folder is unusable or the dashboard listens beyond loopback.</summary>
public sealed class StartupMessagesTests
{
    [Fact]
    public void ADataFolderThatCannotBeWrittenIsNamedWithWhatToDo()
    {
        string file = Path.GetTempFileName();
        try
        {
            string folder = Path.Combine(file, "data"); // a folder inside a file can never be created
            var error = Assert.Throws<DataFolderException>(() =>
                new RunStore(Options.Create(new DataOptions { Directory = folder, Roots = [folder] })));
            Assert.Contains($"The data folder '{folder}' must be a writable folder", error.Message);
            Assert.Contains("Data:Directory", error.Message);
        }
        finally { File.Delete(file); }
    }

    [Theory]
    [InlineData("http://0.0.0.0:5080", true)]
    [InlineData("http://192.168.1.20:5080", true)]
    [InlineData("http://[::]:5080", true)]
    [InlineData("http://127.0.0.1:5080", false)]
    [InlineData("http://localhost:5080", false)]
    public async Task ListeningBeyondLoopbackLogsAWarningThatThereIsNoLogin(string address, bool warns)
    {
        var logger = new ListLogger();
        var lifetime = new Lifetime();
        var warning = new ExposureWarning(new Server(address), lifetime,
            new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["AllowedHosts"] = "localhost" }).Build(), logger);
        await warning.StartAsync(CancellationToken.None);
        lifetime.Start();
        if (warns)
        {
            var line = Assert.Single(logger.Lines);
            Assert.Contains(address, line);
            Assert.Contains("has no login", line);
            Assert.Contains("docs/security.md", line);
        }
        else Assert.Empty(logger.Lines);
    }

    private sealed class Server(string address) : IServer
    {
        public IFeatureCollection Features { get; } = Make(address);
        private static FeatureCollection Make(string address)
        {
            var features = new FeatureCollection();
            var addresses = new ServerAddressesFeature();
            addresses.Addresses.Add(address);
            features.Set<IServerAddressesFeature>(addresses);
            return features;
        }
        public Task StartAsync<TContext>(IHttpApplication<TContext> application, CancellationToken cancellationToken) where TContext : notnull => Task.CompletedTask;
        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
        public void Dispose() { }
    }

    private sealed class Lifetime : IHostApplicationLifetime
    {
        private readonly CancellationTokenSource started = new();
        public CancellationToken ApplicationStarted => started.Token;
        public CancellationToken ApplicationStopping => CancellationToken.None;
        public CancellationToken ApplicationStopped => CancellationToken.None;
        public void Start() => started.Cancel();
        public void StopApplication() { }
    }

    private sealed class ListLogger : ILogger<ExposureWarning>
    {
        public List<string> Lines { get; } = [];
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel >= LogLevel.Warning) Lines.Add(formatter(state, exception));
        }
    }
}
