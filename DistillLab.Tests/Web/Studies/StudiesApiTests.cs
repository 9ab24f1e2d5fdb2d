using DistillLab.Tests.Support;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using DistillLab.Web.Studies;
using Microsoft.AspNetCore.SignalR.Client;

namespace DistillLab.Tests.Web.Studies;

/// <summary>POST/GET /api/studies and cancel, around scripted studies (no real training).</summary>
[Collection(DashboardCollection.Name)]
public sealed class StudiesApiTests
{
    [Fact]
    public async Task AValidStudyIsAcceptedWith202AndRunsEveryTrialToAVerdict()
    {
        var engine = new ScriptedStudyEngine();
        using var host = StudyHostExtensions.Host(engine);
        using var http = host.Http();
        var response = await http.PostAsJsonAsync("/api/studies", StudyHostExtensions.TinyStudy());
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var accepted = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        var id = accepted.GetProperty("id").GetString()!;
        Assert.Equal(8, accepted.GetProperty("trials").GetInt32());
        Assert.Equal($"/api/studies/{id}", response.Headers.Location?.OriginalString);

        var study = await http.WaitForStudyAsync(id, s => !s.IsActive);
        Assert.Equal(StudyStatus.Completed, study.Status);
        Assert.Equal(8, study.Trials.Count);
        Assert.Equal([42, 43], study.Baseline.Select(b => b.Seed));
        Assert.Equal([42, 43], study.Teachers.Select(t => t.Seed));
        Assert.Equal(4, study.Settings.Count);
        Assert.All(study.Settings, s => Assert.Equal(2, s.Seeds));
        Assert.All(study.Trials, t => Assert.Equal(DistillLab.Core.Studies.TrialStatus.Completed, t.Status));
        // The scripted accuracies grow with α and T: α=0.5, T=5 has the largest gain over the baseline.
        Assert.Equal((0.5, 5.0), (study.Best!.Alpha, study.Best.Temperature));
        Assert.Contains("helps by", study.Best.Verdict);

        // The JSON names: settings with ci95 as [lo, hi], best with its test figures.
        var json = JsonDocument.Parse(await http.GetStringAsync($"/api/studies/{id}")).RootElement;
        var setting = json.GetProperty("settings")[0];
        Assert.Equal(2, setting.GetProperty("ci95").GetArrayLength());
        Assert.True(setting.TryGetProperty("meanDelta", out _));
        Assert.True(json.GetProperty("best").GetProperty("test").TryGetProperty("pValue", out _));
        Assert.Equal("completed", json.GetProperty("trials")[0].GetProperty("status").GetString());
        Assert.Equal(0.1, json.GetProperty("config").GetProperty("alpha")[0].GetDouble());

        var list = JsonDocument.Parse(await http.GetStringAsync("/api/studies")).RootElement;
        Assert.Equal(id, list[0].GetProperty("id").GetString());
        Assert.Contains("helps by", list[0].GetProperty("verdict").GetString());
    }

    [Theory]
    [InlineData("""{ "alpha": [0.5, 1.5] }""", "alpha", "between 0 and 1")]
    [InlineData("""{ "temperature": [0, 2] }""", "temperature", "greater than 0")]
    [InlineData("""{ "temperature": { "min": 1, "max": 10, "count": 0 } }""", "temperature", "count must be at least 1")]
    [InlineData("""{ "temperature": { "min": 1, "max": 10, "count": 3, "scale": "cubic" } }""", "temperature", "linear or log")]
    [InlineData("""{ "seeds": 1 }""", "seeds", "a confidence interval needs at least two seeds")]
    [InlineData("""{ "sampler": "bayes" }""", "sampler", "grid or random")]
    [InlineData("""{ "sampler": "random" }""", "trials", "required with the random sampler")]
    [InlineData("""{ "pruning": "median" }""", "pruning", "none or halving")]
    [InlineData("""{ "t2": "maybe" }""", "t2", "off, on or both")]
    [InlineData("""{ "alpha": "lots" }""", "alpha", "list of numbers")]
    [InlineData("""{ "seeds": "three" }""", "seeds", "whole number")]
    [InlineData("""{ "teacherEpochs": "eight" }""", "teacherEpochs", "wrong type")]
    [InlineData("""{ "teacherEpochs": 0 }""", "teacherEpochs", "")]
    [InlineData("""{ "alpha": { "min": 0, "max": 1, "count": 30 }, "temperature": { "min": 1, "max": 20, "count": 20 } }""", "space", "has 1,800 trials")]
    [InlineData("""[1, 2]""", "body", "JSON object")]
    public async Task BadInputIsRefusedWith400NamingTheField(string body, string field, string message)
    {
        using var host = StudyHostExtensions.Host(new ScriptedStudyEngine());
        using var http = host.Http();
        var response = await http.PostAsync("/api/studies", new StringContent(body, Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, text);
        var errors = JsonDocument.Parse(text).RootElement.GetProperty("errors");
        Assert.True(errors.TryGetProperty(field, out var messages), text);
        Assert.Contains(message, messages[0].GetString());
        Assert.Empty(JsonDocument.Parse(await http.GetStringAsync("/api/studies")).RootElement.EnumerateArray());
    }

    [Fact]
    public async Task AnUnknownStudyIs404ForGetAndCancel()
    {
        using var host = StudyHostExtensions.Host(new ScriptedStudyEngine());
        using var http = host.Http();
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/api/studies/no-such-study")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.PostAsync("/api/studies/no-such-study/cancel", null)).StatusCode);
    }

    [Fact]
    public async Task CancelStopsARunningStudyAndTheHubHearsIt()
    {
        var engine = new ScriptedStudyEngine { HoldAfterTrials = 2 };
        using var host = StudyHostExtensions.Host(engine);
        using var http = host.Http();
        await using var hub = await host.ConnectHubAsync();
        var cancelled = new TaskCompletionSource<StudyCancelledEvent>();
        hub.On<StudyCancelledEvent>("StudyCancelled", e => cancelled.TrySetResult(e));
        var id = await http.SubmitStudyAsync(StudyHostExtensions.TinyStudy());
        await engine.Held.Task.WaitAsync(TimeSpan.FromSeconds(60));

        var response = await http.PostAsync($"/api/studies/{id}/cancel", null);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(id, (await cancelled.Task.WaitAsync(TimeSpan.FromSeconds(30))).StudyId);
        var study = await http.WaitForStudyAsync(id, s => !s.IsActive, 30);
        Assert.Equal(StudyStatus.Cancelled, study.Status);
        Assert.Equal(2, study.Trials.Count); // the finished ones are kept
        Assert.Equal(HttpStatusCode.Conflict, (await http.PostAsync($"/api/studies/{id}/cancel", null)).StatusCode);
    }

    [Fact]
    public async Task ARunSubmittedDuringAStudyWaitsForIt()
    {
        var engine = new ScriptedStudyEngine { HoldAfterTrials = 1 };
        using var host = StudyHostExtensions.Host(engine);
        using var http = host.Http();
        var studyId = await http.SubmitStudyAsync(StudyHostExtensions.TinyStudy());
        await engine.Held.Task.WaitAsync(TimeSpan.FromSeconds(60));
        var runId = await host.SubmitAsync(http, new { });

        await Task.Delay(300);
        Assert.Equal(DistillLab.Web.Runs.RunStatus.Queued, (await host.WaitForAsync(http, runId, _ => true)).Status);
        // Second in line: the study trains ahead of it (the Lab says so instead of "started").
        var runs = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<DistillLab.Web.Runs.RunRegistry>(host.Services);
        Assert.Equal(2, runs.PlaceInLine(runId));
        engine.Release();
        var run = await host.WaitForAsync(http, runId, r => !r.IsActive);
        Assert.Equal(DistillLab.Web.Runs.RunStatus.Completed, run.Status);
        var study = await http.WaitForStudyAsync(studyId, s => !s.IsActive);
        Assert.True(study.FinishedAt < run.StartedAt, "the run started only after the study had finished");
    }
}
