using System.Collections.Concurrent;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace DistillLab.Tests.Support;

/// <summary>A Kestrel server on 127.0.0.1 serving one file, with Range support and faults the download must survive.</summary>
public sealed class RangeFileServer : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly byte[] content;
    private int dropsLeft;
    private int pausesLeft;
    private int failuresLeft;

    private RangeFileServer(WebApplication app, byte[] content)
    {
        this.app = app;
        this.content = content;
    }

    public const string FilePath = "/download/kagglecatsanddogs_5340.zip";

    public static async Task<RangeFileServer> StartAsync(byte[] content)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new RangeFileServer(app, content);
        app.Run(server.HandleAsync);
        await app.StartAsync();
        server.BaseAddress = new Uri(app.Urls.First());
        // The first request pays for JIT on both sides (hundreds of ms on a busy machine); tests with short timeouts
        // must not see that, so pay it here and forget the request.
        using (var warmUp = new HttpClient())
            (await warmUp.GetAsync(new Uri(server.BaseAddress, "/warm-up"))).Dispose();
        server.RangeHeaders.Clear();
        return server;
    }

    public Uri BaseAddress { get; private set; } = null!;
    public string Url => new Uri(BaseAddress, FilePath).ToString();

    /// <summary>Answer every request with 200 and the whole file, as a server without Range support does.</summary>
    public bool IgnoreRange { get; set; }

    /// <summary>Answer every Range request with 416 Range Not Satisfiable.</summary>
    public bool RefuseRange { get; set; }

    /// <summary>Answer every Range request with 206 but the whole file (Content-Range from byte 0).</summary>
    public bool MisplaceRange { get; set; }

    /// <summary>A pause after every 8 KB chunk, to make a download last.</summary>
    public TimeSpan ChunkDelay { get; set; }

    /// <summary>Status code for requests to any other path, and for failures set by <see cref="FailNext"/>.</summary>
    public int FailureStatus { get; set; } = 503;

    /// <summary>The Range header of every request ("" when none), in order.</summary>
    public ConcurrentQueue<string> RangeHeaders { get; } = new();
    public int RequestCount => RangeHeaders.Count;

    /// <summary>The next <paramref name="responses"/> responses abort the connection when they reach byte <paramref name="fileOffset"/>
    /// of the file (one that starts at or after it sends nothing and aborts).</summary>
    public void DropAt(long fileOffset, int responses = 1) { DropOffset = fileOffset; dropsLeft = responses; }
    private long DropOffset { get; set; }

    /// <summary>The client's .part file. When set, a drop waits until the client has written every byte sent before it
    /// aborts (otherwise it waits 100 ms), so tests can assert the exact Range of the next request.</summary>
    public string? ClientFile { get; set; }

    private async Task ClientHasAsync(long bytes)
    {
        if (ClientFile is null) { await Task.Delay(100); return; }
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (DateTime.UtcNow < deadline && !(File.Exists(ClientFile) && new FileInfo(ClientFile).Length >= bytes))
            await Task.Delay(5);
    }

    /// <summary>The next response sends <paramref name="bytes"/> body bytes and then stalls until the client goes away.</summary>
    public void PauseAfter(long bytes) { PauseBytes = bytes; pausesLeft = 1; }
    private long PauseBytes { get; set; }

    /// <summary>Completes when a paused response has sent its bytes.</summary>
    public TaskCompletionSource Paused { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The next <paramref name="responses"/> requests get <see cref="FailureStatus"/>.</summary>
    public void FailNext(int responses) => failuresLeft = responses;

    private async Task HandleAsync(HttpContext context)
    {
        string range = context.Request.Headers.Range.ToString();
        RangeHeaders.Enqueue(range);
        if (context.Request.Path != FilePath || Interlocked.Decrement(ref failuresLeft) >= 0)
        {
            context.Response.StatusCode = context.Request.Path != FilePath ? 404 : FailureStatus;
            return;
        }

        long start = 0, length = content.Length;
        context.Response.Headers.AcceptRanges = "bytes";
        if (!IgnoreRange && RangeHeaderValue.TryParse(range, out var header) && header.Ranges.Count == 1 &&
            header.Ranges.First().From is long from && header.Ranges.First().To is null)
        {
            if (MisplaceRange) from = 0;
            if (from >= length || RefuseRange)
            {
                context.Response.StatusCode = StatusCodes.Status416RangeNotSatisfiable;
                context.Response.Headers.ContentRange = $"bytes */{length}";
                return;
            }
            start = from;
            context.Response.StatusCode = StatusCodes.Status206PartialContent;
            context.Response.Headers.ContentRange = $"bytes {start}-{length - 1}/{length}";
        }
        context.Response.ContentLength = length - start;

        bool drop = Interlocked.Decrement(ref dropsLeft) >= 0;
        bool pause = !drop && Interlocked.Decrement(ref pausesLeft) >= 0;
        long stopAfter = drop ? Math.Max(0, DropOffset - start) : pause ? PauseBytes : long.MaxValue;
        long sent = 0;
        for (long offset = start; offset < length;)
        {
            int chunk = (int)Math.Min(Math.Min(8192, length - offset), Math.Max(0, stopAfter - sent));
            if (chunk == 0) break;
            await context.Response.Body.WriteAsync(content.AsMemory((int)offset, chunk), context.RequestAborted);
            offset += chunk;
            sent += chunk;
            if (ChunkDelay > TimeSpan.Zero)
            {
                await context.Response.Body.FlushAsync(context.RequestAborted);
                await Task.Delay(ChunkDelay, context.RequestAborted);
            }
        }
        if (sent == length - start) return;
        await context.Response.Body.FlushAsync(context.RequestAborted);
        if (pause)
        {
            Paused.TrySetResult();
            try { await Task.Delay(Timeout.Infinite, context.RequestAborted); } catch (OperationCanceledException) { }
        }
        else
        {
            // Abort discards output the transport has not sent yet; wait until the client has the bytes up to the cut.
            await ClientHasAsync(start + sent);
        }
        context.Abort();
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}

/// <summary>A disk that reports a fixed amount of free space.</summary>
public sealed class FixedDiskSpace(long available) : DistillLab.Core.Download.IDiskSpace
{
    public static FixedDiskSpace Plenty { get; } = new(long.MaxValue / 4);
    public long AvailableBytes(string folder) => available;
}

/// <summary>Collects progress reports synchronously (Progress&lt;T&gt; would post them to the thread pool, out of order).</summary>
public sealed class ProgressLog : IProgress<DistillLab.Core.Download.DownloadProgress>
{
    private readonly List<DistillLab.Core.Download.DownloadProgress> reports = [];
    public Action<DistillLab.Core.Download.DownloadProgress>? OnReport { get; init; }

    public IReadOnlyList<DistillLab.Core.Download.DownloadProgress> Reports { get { lock (reports) return reports.ToList(); } }

    public void Report(DistillLab.Core.Download.DownloadProgress value)
    {
        lock (reports) reports.Add(value);
        OnReport?.Invoke(value);
    }
}
