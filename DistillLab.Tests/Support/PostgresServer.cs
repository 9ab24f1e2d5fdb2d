using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace DistillLab.Tests.Support;

/// <summary>A throwaway PostgreSQL cluster on 127.0.0.1 for the scale-out tests: initdb in a temporary folder, a free
/// loopback port (never 5432), run as the `postgres` user when the tests run as root; removed with everything in it on
/// dispose. /work/shared/ENVIRONMENT.md ("PostgreSQL for the scale-out tests") measured these steps.</summary>
/// <remarks>Missing binaries fail the test with what to run (scripts/setup.sh --tests installs Debian's package):
/// a test that quietly skipped would pass on a machine where nothing was tested.</remarks>
public sealed class PostgresServer : IDisposable
{
    private readonly string bin;
    private readonly string dataFolder;
    private readonly bool asPostgresUser = Environment.UserName == "root";

    public PostgresServer() : this("/usr/lib/postgresql", Environment.GetEnvironmentVariable("PATH")) { }

    /// <param name="debianRoot">Where Debian puts each version's programs (&lt;root&gt;/&lt;version&gt;/bin).</param>
    /// <param name="searchPath">Folders to look in after it, as PATH lists them.</param>
    internal PostgresServer(string debianRoot, string? searchPath)
    {
        bin = FindBinaries(debianRoot, searchPath) ?? throw new InvalidOperationException(
            $"PostgreSQL's server programs (initdb, pg_ctl) were not found in {debianRoot}/<version>/bin or on PATH. " +
            "Run `scripts/setup.sh --tests` once (it installs Debian's postgresql package), then run the tests again.");
        Folder = Directory.CreateTempSubdirectory("distilllab-pg-").FullName;
        dataFolder = Path.Combine(Folder, "data");
        // PostgreSQL refuses to run as root; the folder, its socket and its log must belong to the user it runs as.
        if (asPostgresUser) Run("chown", ["postgres:postgres", Folder], asPostgres: false);
        Run(Path.Combine(bin, "initdb"), ["-D", dataFolder, "--auth=trust", "-U", "postgres", "--encoding=UTF8", "--no-sync"]);
        // Another process may take the free port before the server binds it: then try another.
        for (int attempt = 1; ; attempt++)
        {
            Port = FreePort();
            try
            {
                Start();
                return;
            }
            catch (InvalidOperationException) when (attempt < 3) { }
        }
    }

    /// <summary>The temporary folder: the cluster (data/), its socket and its log (server.log).</summary>
    public string Folder { get; }

    public int Port { get; private set; }

    public string LogPath => Path.Combine(Folder, "server.log");

    /// <summary>The connection string of the cluster's own `postgres` database (for creating and inspecting others).</summary>
    public string AdminConnectionString => ConnectionString("postgres");

    public string ConnectionString(string database) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1", Port = Port, Username = "postgres", Database = database,
        // Generous: on a busy 2-core machine a new backend took over 5 s to answer once (the full suite beside other
        // builds). A stopped server still fails at once: loopback refuses the connection, no timeout involved.
        Timeout = 30,
    }.ToString();

    /// <summary>Creates an empty database and returns its connection string.</summary>
    public string CreateDatabase(string prefix = "test")
    {
        // Lower case and unquoted-safe; 63 characters at most (PostgreSQL's limit).
        string name = $"{prefix}_{Guid.NewGuid():N}".ToLowerInvariant();
        if (name.Length > 63 || !name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '_'))
            throw new ArgumentException("A database prefix is a few lower-case letters, digits or underscores.", nameof(prefix));
        // Unpooled: a pooled connection would be a broken one after a restart (the pools of the code under test are
        // left as they are, on purpose: recovering from that is what the fault tests test).
        using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(AdminConnectionString) { Pooling = false }.ToString());
        connection.Open();
        using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
        create.ExecuteNonQuery();
        return ConnectionString(name);
    }

    /// <summary>Starts the server (again, after <see cref="Stop"/>) on the same port and waits until it takes connections.</summary>
    public void Start() => Run(Path.Combine(bin, "pg_ctl"),
        ["-D", dataFolder, "-l", LogPath, "-w", "-t", "60", "-o", $"-p {Port} -k {Folder} -c listen_addresses=127.0.0.1 -c fsync=off", "start"]);

    /// <summary>Stops the server: immediate is a crash as far as clients are concerned (connections cut, no checkpoint);
    /// otherwise a fast shutdown (sessions ended, data flushed).</summary>
    public void Stop(bool immediate = false) => Run(Path.Combine(bin, "pg_ctl"), ["-D", dataFolder, "-w", "stop", "-m", immediate ? "immediate" : "fast"]);

    /// <summary>Stops and starts the server: every open connection breaks, the data stays.</summary>
    public void Restart(bool immediate = true)
    {
        Stop(immediate);
        Start();
    }

    public void Dispose()
    {
        try { Stop(immediate: true); }
        catch (InvalidOperationException) { } // already stopped
        NpgsqlConnection.ClearAllPools();
        try { Directory.Delete(Folder, recursive: true); }
        catch (IOException) { }
    }

    /// <summary>The newest /usr/lib/postgresql/&lt;version&gt;/bin (Debian, Ubuntu), else a PATH folder with initdb and pg_ctl.</summary>
    private static string? FindBinaries(string debianRoot, string? searchPath)
    {
        var debian = Directory.Exists(debianRoot)
            ? Directory.GetDirectories(debianRoot)
                .Select(d => (Version: int.TryParse(Path.GetFileName(d), out int v) ? v : -1, Bin: Path.Combine(d, "bin")))
                .Where(d => File.Exists(Path.Combine(d.Bin, "initdb")) && File.Exists(Path.Combine(d.Bin, "pg_ctl")))
                .OrderByDescending(d => d.Version).Select(d => d.Bin).FirstOrDefault()
            : null;
        return debian ?? (searchPath ?? "").Split(Path.PathSeparator)
            .FirstOrDefault(d => d.Length > 0 && File.Exists(Path.Combine(d, "initdb")) && File.Exists(Path.Combine(d, "pg_ctl")));
    }

    private static int FreePort()
    {
        while (true)
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            int port = ((IPEndPoint)listener.LocalEndpoint).Port;
            if (port != 5432) return port;
        }
    }

    private void Run(string program, IReadOnlyList<string> arguments) => Run(program, arguments, asPostgresUser);

    private static void Run(string program, IReadOnlyList<string> arguments, bool asPostgres)
    {
        var start = new ProcessStartInfo(asPostgres ? "runuser" : program)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        if (asPostgres) foreach (string a in (string[])["-u", "postgres", "--", program]) start.ArgumentList.Add(a);
        foreach (string a in arguments) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(90)))
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"{Path.GetFileName(program)} {string.Join(' ', arguments)} did not finish in 90 s.");
        }
        if (process.ExitCode != 0)
            throw new InvalidOperationException(
                $"{Path.GetFileName(program)} {string.Join(' ', arguments)} failed ({process.ExitCode}): {errors.Result}{output.Result}");
    }
}

/// <summary>Tests that share one throwaway PostgreSQL cluster; they run one at a time, since some restart it.</summary>
[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresServer>
{
    public const string Name = "postgres";
}
