using System.Net.Http.Json;
using System.Text.Json;
using DistillLab.Web.Studies;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace DistillLab.Tests.Support;

/// <summary>Hosting a dashboard whose studies are scripted, and the API calls the study tests share.</summary>
public static class StudyHostExtensions
{
    public static DashboardHost Host(ScriptedStudyEngine engine, string? dataDirectory = null, IDictionary<string, string?>? settings = null) =>
        new(new ScriptedEngine(), dataDirectory, settings, services => services.Replace(ServiceDescriptor.Singleton<IStudyEngine>(engine)));

    /// <summary>2 α × 2 T × 2 seeds, one epoch each, on the drawn set: 8 trials.</summary>
    public static object TinyStudy(int seeds = 2) => new
    {
        data = "synthetic", limit = 60, imageSize = 46, teacherEpochs = 1, studentEpochs = 1, batchSize = 16,
        alpha = new[] { 0.1, 0.5 }, temperature = new[] { 2.0, 5.0 }, seeds,
    };

    public static async Task<string> SubmitStudyAsync(this HttpClient http, object body)
    {
        var response = await http.PostAsJsonAsync("/api/studies", body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.Accepted, $"{(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.GetProperty("id").GetString()!;
    }

    public static async Task<StudyDetails> WaitForStudyAsync(this HttpClient http, string id, Func<StudyDetails, bool> done, int seconds = 120)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var study = (await http.GetFromJsonAsync<StudyDetails>($"/api/studies/{id}", DashboardHost.Json))!;
            if (done(study)) return study;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Study {id} is still {study.Status} after {seconds} s.");
            await Task.Delay(100);
        }
    }
}
