using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;

namespace DistillLab.Tests.Support;

/// <summary>The built DistillLab.Web.dll started as a process of its own (a dashboard or a worker), with settings given
/// as DISTILLLAB_ environment variables, its output kept for failure messages; killed on dispose.</summary>
public sealed class AppProcess : IDisposable
{
    private readonly Process process;
    private readonly StringBuilder output = new();

    public AppProcess(string name, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string> settings)
    {
        Name = name;
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(WebDll);
        foreach (string a in arguments) start.ArgumentList.Add(a);
        foreach (var (key, value) in settings) start.Environment["DISTILLLAB_" + key.Replace(":", "__")] = value;
        process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Keep(e.Data);
        process.ErrorDataReceived += (_, e) => Keep(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string Name { get; }
    public int Id => process.Id;
    public bool HasExited => process.HasExited;

    /// <summary>What the process wrote so far (stdout and stderr together).</summary>
    public string Output { get { lock (output) return output.ToString(); } }

    private void Keep(string? line)
    {
        if (line is not null) lock (output) output.AppendLine(line);
    }

    /// <summary>The web project's own build output, of the same configuration as these tests.</summary>
    public static string WebDll
    {
        get
        {
            var testBin = new DirectoryInfo(AppContext.BaseDirectory); // .../DistillLab.Tests/bin/<Configuration>/<tfm>/
            string root = testBin.Parent!.Parent!.Parent!.Parent!.FullName;
            string dll = Path.Combine(root, "DistillLab.Web", "bin", testBin.Parent!.Name, testBin.Name, "DistillLab.Web.dll");
            return File.Exists(dll) ? dll : throw new FileNotFoundException($"Build the solution first: {dll} is missing.");
        }
    }

    /// <summary>SIGTERM, what a service manager sends to stop a process.</summary>
    public void Terminate() => _ = kill(process.Id, 15);

    /// <summary>SIGKILL: the process dies at once, mid-batch, with nothing handed back.</summary>
    public void KillHard() => process.Kill(entireProcessTree: true);

    /// <summary>True when the process exited in time; its output is then read to the end.</summary>
    public bool WaitForExit(TimeSpan timeout)
    {
        if (!process.WaitForExit(timeout)) return false;
        process.WaitForExit(); // the redirected output's last lines arrive after the exit
        return true;
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        if (!process.HasExited) process.Kill(entireProcessTree: true);
        process.WaitForExit(10_000);
        process.Dispose();
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int signal);
}
