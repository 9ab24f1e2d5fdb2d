using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DistillLab.Core.Experiments;
using DistillLab.Web.Predictions;
using DistillLab.Web.Runs;
using Microsoft.AspNetCore.SignalR.Client;
using DistillLab.Core.Training;
using DistillLab.Tests.Support;

namespace DistillLab.Tests.Web.Training;

/// <summary>One dashboard that trains for real (Core's LabRunner) on a tiny folder of PNGs: 60 images, 46 px, one epoch each.</summary>
public sealed class RealRunFixture : IAsyncLifetime
{
    public DashboardHost Host { get; } = new();
    public HttpClient Http { get; private set; } = default!;
    public string Data { get; private set; } = "";
    public RunDetails FirstRun { get; private set; } = default!;
    public List<RunEvent> Events { get; } = [];

    public async Task InitializeAsync()
    {
        Data = Host.CreateImageFolder();
        Http = Host.Http();
        var hub = await Host.ConnectHubAsync();
        var completed = new TaskCompletionSource<RunCompletedEvent>(TaskCreationOptions.RunContinuationsAsynchronously);
        hub.On<EpochCompletedEvent>("EpochCompleted", e => { lock (Events) Events.Add(e); });
        hub.On<PhaseStartedEvent>("PhaseStarted", e => { lock (Events) Events.Add(e); });
        hub.On<RunStartedEvent>("RunStarted", e => { lock (Events) Events.Add(e); });
        hub.On<RunFailedEvent>("RunFailed", e => completed.TrySetException(new Exception(e.Message)));
        hub.On<RunCompletedEvent>("RunCompleted", e => { lock (Events) Events.Add(e); completed.TrySetResult(e); });
        var id = await Host.SubmitAsync(Http, DashboardHost.TinyRun(Data));
        await completed.Task.WaitAsync(TimeSpan.FromMinutes(3));
        await hub.DisposeAsync();
        FirstRun = await Host.WaitForAsync(Http, id, r => r.Status == RunStatus.Completed);
    }

    public Task DisposeAsync()
    {
        Http.Dispose();
        Host.Dispose();
        return Task.CompletedTask;
    }
}

[Collection(DashboardCollection.Name)]
public sealed class RealRunTests(RealRunFixture fixture) : IClassFixture<RealRunFixture>
{
    private DashboardHost Host => fixture.Host;
    private HttpClient Http => fixture.Http;

    [Fact]
    public void HubClientReceivesEpochEventsOfAllThreeModelsThenRunCompleted()
    {
        List<RunEvent> events;
        lock (fixture.Events) events = [.. fixture.Events];
        var epochs = events.OfType<EpochCompletedEvent>().ToList();
        Assert.Equal(ModelRoles.All, epochs.Select(e => e.Model).Distinct().ToArray());
        Assert.IsType<RunCompletedEvent>(events[^1]);
        var done = (RunCompletedEvent)events[^1];
        Assert.Equal(fixture.FirstRun.Id, done.RunId);
        Assert.All(new[] { done.Teacher, done.StudentScratch, done.StudentDistilled }, m =>
        {
            Assert.InRange(m.TestAccuracy!.Value, 0, 1);
            Assert.True(m.Parameters > 0);
        });
        Assert.True(done.Teacher.Parameters > done.StudentDistilled.Parameters);
        Assert.NotNull(epochs.Single(e => e.Model == ModelRole.StudentDistilled).Metrics.DistillationLoss);
    }

    [Fact]
    public async Task FinishedRunHasHistoriesResultsAndSavedModels()
    {
        var run = (await Http.GetFromJsonAsync<RunDetails>($"/api/runs/{fixture.FirstRun.Id}", DashboardHost.Json))!;
        Assert.Equal(RunStatus.Completed, run.Status);
        Assert.All(ModelRoles.All, role => Assert.Single(run.Model(role).History));
        Assert.Equal(46, run.ImageSize);
        Assert.True(run.StudentDistilled.ModelBytes > 0);
        Assert.True(run.Teacher.InferenceMillisecondsPerImage > 0);
        foreach (var role in ModelRoles.All)
            Assert.True(File.Exists(Path.Combine(Host.DataDirectory, "runs", run.Id, ModelRoles.Key(role) + ".pt")));
        Assert.True(File.Exists(Path.Combine(Host.DataDirectory, "distilllab.db")));
    }

    [Fact]
    public async Task PredictionsListTestImagesWithEveryModelsLabelAndConfidence()
    {
        var page = (await Http.GetFromJsonAsync<PredictionPage>($"/api/runs/{fixture.FirstRun.Id}/predictions?count=4", DashboardHost.Json))!;
        Assert.Equal(4, page.Images.Count);
        foreach (var image in page.Images)
        {
            Assert.Contains(image.TrueLabel, new[] { "cat", "dog" });
            Assert.All(new[] { image.Teacher, image.StudentScratch, image.StudentDistilled }, a => Assert.InRange(a.Confidence, 0.5, 1));
            var png = await Http.GetAsync(image.ImageUrl);
            Assert.Equal("image/png", png.Content.Headers.ContentType!.MediaType);
        }
        foreach (var filter in new[] { "students-disagree", "distilled-right-scratch-wrong", "both-wrong" })
            Assert.Equal(HttpStatusCode.OK, (await Http.GetAsync($"/api/runs/{fixture.FirstRun.Id}/predictions?filter={filter}")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await Http.GetAsync($"/api/runs/{fixture.FirstRun.Id}/predictions?filter=nonsense")).StatusCode);
    }

    [Fact]
    public async Task UploadedPictureGetsEachModelsPrediction()
    {
        var png = File.ReadAllBytes(Directory.EnumerateFiles(Path.Combine(Host.DataDirectory, "tiny", "dog")).First());
        var response = await Http.PostAsync($"/api/runs/{fixture.FirstRun.Id}/predict", Upload(png, "dog.png"));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        var answer = JsonSerializer.Deserialize<UploadPrediction>(text, DashboardHost.Json)!;
        Assert.Contains(answer.StudentDistilled.Label, new[] { "cat", "dog" });
        Assert.InRange(answer.Teacher.Confidence, 0.5, 1);
        // The picture comes back as the models saw it: a PNG at the run's image size (the upload is 40 px, the run 46).
        Assert.StartsWith("data:image/png;base64,", answer.SeenAs);
        using var seen = SixLabors.ImageSharp.Image.Load(Convert.FromBase64String(answer.SeenAs["data:image/png;base64,".Length..]));
        Assert.Equal((46, 46), (seen.Width, seen.Height));
    }

    [Fact]
    public async Task BadUploadsGetAClearClientErrorAndTheServerKeepsRunning()
    {
        var id = fixture.FirstRun.Id;
        var notImage = await Http.PostAsync($"/api/runs/{id}/predict", Upload("hello, not a picture"u8.ToArray(), "note.png"));
        Assert.Equal(HttpStatusCode.BadRequest, notImage.StatusCode);
        Assert.Contains("not an image", await notImage.Content.ReadAsStringAsync());

        var huge = await Http.PostAsync($"/api/runs/{id}/predict", Upload(PngClaiming(100_000, 100_000), "bomb.png"));
        Assert.Equal(HttpStatusCode.BadRequest, huge.StatusCode);

        var tooLarge = await Http.PostAsync($"/api/runs/{id}/predict", Upload(new byte[11 * 1024 * 1024], "big.jpg"));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLarge.StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await Http.GetAsync("/healthz")).StatusCode);
    }

    [Fact]
    public async Task ChangingOnlyAlphaReusesTheTrainedTeacherUnlessSwitchedOff()
    {
        var reusing = await Host.SubmitAsync(Http, DashboardHost.TinyRun(fixture.Data, alpha: 0.5));
        var reused = await Host.WaitForAsync(Http, reusing, r => !r.IsActive);
        Assert.Equal(RunStatus.Completed, reused.Status);
        Assert.NotNull(reused.TeacherReusedFrom);
        Assert.True(reused.Teacher.Reused);
        Assert.Equal(fixture.FirstRun.Teacher.History, reused.Teacher.History);

        var fresh = await Host.SubmitAsync(Http, DashboardHost.TinyRun(fixture.Data, alpha: 0.5, reuseTeacher: false));
        var trained = await Host.WaitForAsync(Http, fresh, r => !r.IsActive);
        Assert.Null(trained.TeacherReusedFrom);
        Assert.Single(trained.Teacher.History);
    }

    private static uint Crc32(byte[] bytes)
    {
        uint crc = 0xFFFFFFFF;
        foreach (var b in bytes)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++) crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320 : crc >> 1;
        }
        return ~crc;
    }

    private static MultipartFormDataContent Upload(byte[] bytes, string name) => new() { { new ByteArrayContent(bytes), "file", name } };

    /// <summary>A valid PNG header declaring an enormous canvas: tiny on disk, gigabytes if decoded.</summary>
    internal static byte[] PngClaiming(int width, int height)
    {
        using var stream = new MemoryStream();
        stream.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        var ihdr = new byte[13];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(ihdr, width);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), height);
        ihdr[8] = 8; ihdr[9] = 2;
        Chunk("IHDR", ihdr);
        Chunk("IDAT", [0x78, 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01]);
        Chunk("IEND", []);
        return stream.ToArray();

        void Chunk(string type, byte[] data)
        {
            var length = new byte[4];
            System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(length, data.Length);
            stream.Write(length);
            var typeBytes = System.Text.Encoding.ASCII.GetBytes(type);
            stream.Write(typeBytes);
            stream.Write(data);
            var crc = new byte[4];
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(crc, Crc32([.. typeBytes, .. data]));
            stream.Write(crc);
        }
    }
}
