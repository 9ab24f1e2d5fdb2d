using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json;
using DistillLab.Core.Experiments;
using DistillLab.Web.Estimates;
using DistillLab.Web.Runs;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using DistillLab.Core.Training;
using DistillLab.Tests.Support;

namespace DistillLab.Tests.Web.Runs;

/// <summary>The retune loop on the real runner: a run that changes only alpha reuses the teacher and the scratch student.</summary>
[Collection(DashboardCollection.Name)]
public sealed class RetuneReuseTests
{
    private static object Tiny(string data, double alpha, int studentEpochs = 1) => new
    {
        data, imageSize = 46, limit = 60, teacherEpochs = 1, studentEpochs, alpha, batchSize = 16, seed = 11,
    };

    [Fact]
    public async Task ChangingOnlyAlphaTrainsOnlyTheDistilledStudentAndChangingStudentEpochsTrainsTheScratchStudentAgain()
    {
        using var host = new DashboardHost();
        var data = host.CreateImageFolder();
        using var http = host.Http();
        await using var hub = await host.ConnectHubAsync();
        var events = new ConcurrentQueue<RunEvent>();
        hub.On<RunStartedEvent>("RunStarted", events.Enqueue);
        hub.On<PhaseStartedEvent>("PhaseStarted", events.Enqueue);
        hub.On<RunCompletedEvent>("RunCompleted", events.Enqueue);

        async Task<(RunDetails Run, JsonElement Json)> Run(object body)
        {
            var id = await host.SubmitAsync(http, body);
            var run = await host.WaitForAsync(http, id, r => !r.IsActive);
            Assert.True(run.Status == RunStatus.Completed, run.Error);
            var deadline = DateTime.UtcNow.AddSeconds(10);
            while (!events.Any(e => e is RunCompletedEvent && e.RunId == id) && DateTime.UtcNow < deadline) await Task.Delay(50);
            return (run, JsonDocument.Parse(await http.GetStringAsync($"/api/runs/{id}")).RootElement);
        }
        ModelRole[] Phases(string id) => events.OfType<PhaseStartedEvent>().Where(e => e.RunId == id).Select(e => e.Model).ToArray();
        RunStartedEvent Started(string id) => events.OfType<RunStartedEvent>().Single(e => e.RunId == id);
        static string? ReusedFrom(JsonElement run, string model) =>
            run.GetProperty(model).TryGetProperty("reusedFrom", out var from) ? from.GetString() : null;

        var (first, _) = await Run(Tiny(data, alpha: 0.05));
        Assert.Equal(ModelRoles.All, Phases(first.Id));

        // Before the retune starts, its estimate knows both models will be reused and takes its speeds from the first run.
        var estimate = host.Services.GetRequiredService<RunEstimates>()
            .Estimate(new RunRequest(new LabConfig { Data = data, ImageSize = 46, Limit = 60, TeacherEpochs = 1, StudentEpochs = 1, Alpha = 0.3, BatchSize = 16, Seed = 11 }), 80).Estimate;
        Assert.NotNull(estimate);
        Assert.Equal([ModelRole.Teacher, ModelRole.StudentScratch], estimate.Reused);
        Assert.Equal($"run {first.Id}'s epochs", estimate.SpeedSource);
        Assert.Equal($"loading and saving as long as in run {first.Id}", estimate.OverheadSource);

        var (retune, retuneJson) = await Run(Tiny(data, alpha: 0.3));
        Assert.Equal([ModelRole.StudentDistilled], Phases(retune.Id));
        Assert.Equal((first.Id, first.Id), (Started(retune.Id).TeacherReusedFrom, Started(retune.Id).StudentScratchReusedFrom));
        Assert.Equal(first.Id, ReusedFrom(retuneJson, "teacher"));
        Assert.Equal(first.Id, ReusedFrom(retuneJson, "studentScratch"));
        Assert.Null(ReusedFrom(retuneJson, "studentDistilled"));
        Assert.Equal(first.Id, retuneJson.GetProperty("teacherReusedFrom").GetString());
        Assert.True(retune.StudentScratch.Reused);
        Assert.Equal(first.StudentScratch.TestAccuracy, retune.StudentScratch.TestAccuracy);
        Assert.Equal(first.StudentScratch.TestLoss, retune.StudentScratch.TestLoss);
        Assert.Equal(first.StudentScratch.History, retune.StudentScratch.History); // the charts still show how it learned
        Assert.Single(retune.StudentDistilled.History);

        // The next retune takes the newest run's saved files, but names the run that trained the models.
        var (again, againJson) = await Run(Tiny(data, alpha: 0.6));
        Assert.Equal([ModelRole.StudentDistilled], Phases(again.Id));
        Assert.Equal(first.Id, ReusedFrom(againJson, "teacher"));
        Assert.Equal(first.Id, ReusedFrom(againJson, "studentScratch"));

        // More student epochs shape the scratch student: it trains again; the teacher is still reused.
        var (longer, longerJson) = await Run(Tiny(data, alpha: 0.3, studentEpochs: 2));
        Assert.Equal([ModelRole.StudentScratch, ModelRole.StudentDistilled], Phases(longer.Id));
        Assert.Null(Started(longer.Id).StudentScratchReusedFrom);
        Assert.Equal(first.Id, ReusedFrom(longerJson, "teacher"));
        Assert.Null(ReusedFrom(longerJson, "studentScratch"));
        Assert.False(longer.StudentScratch.Reused);
        Assert.Equal(2, longer.StudentScratch.History.Count);
    }

    [Fact]
    public async Task WithoutAnEarlierRunTheEstimateMeasuresThroughputHereOffTheCaller()
    {
        using var host = new DashboardHost(new ScriptedEngine());
        _ = host.BaseAddress; // starts the app (the training service configures libtorch)
        var estimates = host.Services.GetRequiredService<RunEstimates>();
        var request = new RunRequest(new LabConfig { ImageSize = 46, BatchSize = 8, TeacherEpochs = 1, StudentEpochs = 1 });

        var first = estimates.Estimate(request, 100);
        Assert.Null(first.Estimate);
        Assert.Equal("measuring…", first.Pending);
        await first.Measuring!.WaitAsync(TimeSpan.FromSeconds(60));

        var measured = estimates.Estimate(request, 100).Estimate;
        Assert.NotNull(measured);
        Assert.Equal("measured here", measured.SpeedSource);
        // Speeds only as far as they are measured at all: which model is faster is timing, and timing is for benchmarks.
        Assert.True(measured.Speed.TeacherImagesPerSecond > 0 && measured.Speed.StudentImagesPerSecond > 0);
        Assert.True(measured.Phases.Teacher > TimeSpan.Zero && measured.Total > measured.Phases.Total);
        Assert.Null(estimates.Estimate(request with { Config = request.Config with { Alpha = 0.7 } }, 100).Measuring); // once per device, size and batch
    }
}
