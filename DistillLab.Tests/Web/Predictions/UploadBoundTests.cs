using System.ComponentModel.DataAnnotations;
using System.Net;
using System.Text.Json;
using DistillLab.Core.Experiments;
using DistillLab.Web.Settings;
using DistillLab.Web.Runs;
using Microsoft.Extensions.DependencyInjection;
using SixLabors.ImageSharp.PixelFormats;
using DistillLab.Tests.Support;

namespace DistillLab.Tests.Web.Predictions;

/// <summary>Issue 9 item 4: concurrent uploads of pictures that decode to hundreds of MB took the server from 0.6 to
/// 2.9 GB. Decodes are now bounded in number (503 with Retry-After beyond) and in estimated memory (400 naming the limit).</summary>
[Collection(DashboardCollection.Name)]
public sealed class UploadBoundTests
{
    private static readonly byte[] Picture = TestImages.Png(40, 40, new Rgb24(200, 80, 60));

    [Fact]
    public async Task UploadsBeyondTheDecodeBoundGet503WithRetryAfterWhileTheAdmittedOnesSucceed()
    {
        using var host = new DashboardHost(new ScriptedEngine(epochs: 1, batches: 1), settings: Bound(concurrent: 2, waiting: 1, waitSeconds: 600),
            services: HeldUploadDecoder.Register);
        using var http = host.Http();
        var id = await CompletedRunAsync(host, http);
        var decoder = host.Services.GetRequiredService<HeldUploadDecoder>();

        // Two decode (held), one waits for a slot: all three are admitted.
        var admitted = Enumerable.Range(0, 3).Select(_ => http.PostAsync($"/api/runs/{id}/predict", Upload(Picture))).ToList();
        await UntilAsync(() => decoder.Started == 2 && decoder.Admitted == 3);

        var refused = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => http.PostAsync($"/api/runs/{id}/predict", Upload(Picture))));
        foreach (var response in refused)
        {
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.ServiceUnavailable, $"{(int)response.StatusCode}: {body}");
            Assert.Equal(TimeSpan.FromSeconds(2), response.Headers.RetryAfter?.Delta);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Contains("as many uploaded pictures as it takes at once (2 decoding, 1 waiting). Try again in 2 s.", Detail(body));
        }
        Assert.Equal(2, decoder.Started); // the refused ones never reached the decoder

        // A picture refused on its header is told so at once, not asked to come back later.
        var tooLarge = await http.PostAsync($"/api/runs/{id}/predict", Upload(TestImages.PngDeclaring(3000, 3000)));
        Assert.Equal(HttpStatusCode.BadRequest, tooLarge.StatusCode);
        Assert.Contains("at most 16 MB", Detail(await tooLarge.Content.ReadAsStringAsync()));

        decoder.Release();
        foreach (var response in await Task.WhenAll(admitted))
        {
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {body}");
            Assert.Contains("seenAs", body);
        }
        Assert.Equal(0, decoder.Admitted);
    }

    [Fact]
    public async Task AWaitingUploadIsAnswered503WhenNoDecodeFreesInTime()
    {
        using var host = new DashboardHost(new ScriptedEngine(epochs: 1, batches: 1), settings: Bound(concurrent: 1, waiting: 1, waitSeconds: 1),
            services: HeldUploadDecoder.Register);
        using var http = host.Http();
        var id = await CompletedRunAsync(host, http);
        var decoder = host.Services.GetRequiredService<HeldUploadDecoder>();

        var holding = http.PostAsync($"/api/runs/{id}/predict", Upload(Picture));
        await UntilAsync(() => decoder.Started == 1);
        // The held decode never ends while this one waits, so its wait runs out whatever the machine's speed.
        var waited = await http.PostAsync($"/api/runs/{id}/predict", Upload(Picture));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, waited.StatusCode);
        Assert.NotNull(waited.Headers.RetryAfter);
        Assert.Contains("no decode of an uploaded picture freed up within 1 s", Detail(await waited.Content.ReadAsStringAsync()));

        decoder.Release();
        Assert.Equal(HttpStatusCode.OK, (await holding).StatusCode);
    }

    [Fact]
    public async Task APictureWhoseDecodeWouldPassTheMemoryLimitIsRefusedNamingTheLimitAndSmallOnesStillWork()
    {
        using var host = new DashboardHost(new ScriptedEngine(epochs: 1, batches: 1),
            settings: new Dictionary<string, string?> { ["Dashboard:MaxDecodeMegabytes"] = "16" });
        using var http = host.Http();
        var id = await CompletedRunAsync(host, http);

        // 3000 x 3000 is 9 megapixels, far under the pixel cap, but ~29 MB to decode.
        var large = await http.PostAsync($"/api/runs/{id}/predict", Upload(TestImages.PngDeclaring(3000, 3000)));
        var detail = Detail(await large.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, large.StatusCode);
        Assert.Contains("3000 × 3000 pixels", detail);
        Assert.Contains("about 28 MB to decode", detail);
        Assert.Contains("at most 16 MB", detail);

        var small = await http.PostAsync($"/api/runs/{id}/predict", Upload(Picture));
        Assert.True(small.StatusCode == HttpStatusCode.OK, await small.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData(nameof(DashboardOptions.ConcurrentDecodes), 0)]
    [InlineData(nameof(DashboardOptions.WaitingDecodes), -1)]
    [InlineData(nameof(DashboardOptions.DecodeWaitSeconds), 0)]
    [InlineData(nameof(DashboardOptions.MaxDecodeMegabytes), 8)]
    public void DecodeSettingsOutOfRangeAreRefusedByName(string setting, int value)
    {
        var options = new DashboardOptions();
        typeof(DashboardOptions).GetProperty(setting)!.SetValue(options, value);
        var errors = new List<ValidationResult>();
        Assert.False(Validator.TryValidateObject(options, new ValidationContext(options), errors, validateAllProperties: true));
        Assert.Equal(setting, Assert.Single(Assert.Single(errors).MemberNames));
        var defaults = new DashboardOptions();
        Assert.True(Validator.TryValidateObject(defaults, new ValidationContext(defaults), [], validateAllProperties: true));
    }

    [Fact]
    public void TheDashboardDoesNotStartWithAnInvalidDecodeSetting()
    {
        using var host = new DashboardHost(new ScriptedEngine(), settings: new Dictionary<string, string?> { ["Dashboard:ConcurrentDecodes"] = "0" });
        var error = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => host.Http());
        Assert.Contains("ConcurrentDecodes", error.Message);
    }

    private static Dictionary<string, string?> Bound(int concurrent, int waiting, int waitSeconds) => new()
    {
        ["Dashboard:MaxDecodeMegabytes"] = "16",
        ["Dashboard:ConcurrentDecodes"] = concurrent.ToString(),
        ["Dashboard:WaitingDecodes"] = waiting.ToString(),
        ["Dashboard:DecodeWaitSeconds"] = waitSeconds.ToString(),
    };

    private static async Task<string> CompletedRunAsync(DashboardHost host, HttpClient http)
    {
        var id = await host.SubmitAsync(http, new { });
        await host.WaitForAsync(http, id, r => r.Status == RunStatus.Completed);
        return id;
    }

    private static MultipartFormDataContent Upload(byte[] bytes) => new() { { new ByteArrayContent(bytes), "file", "picture.png" } };

    private static string Detail(string problem) => JsonDocument.Parse(problem).RootElement.GetProperty("detail").GetString()!;

    /// <summary>Waits for a state the test set up (not a timing assertion): fails only if it never arrives.</summary>
    private static async Task UntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("The uploads never reached the expected state.");
            await Task.Delay(20);
        }
    }
}
