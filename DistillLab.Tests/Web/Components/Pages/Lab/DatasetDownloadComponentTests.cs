using Bunit;
using DistillLab.Core.Download;
using DistillLab.Web.Components.Pages.Lab;
using MudBlazor;
using DistillLab.Tests.Support;

namespace DistillLab.Tests.Web.Components.Pages.Lab;

public sealed class DatasetDownloadComponentTests
{
    [Fact]
    public async Task DownloadButtonShowsItsSizeWhileTheSetIsAbsentAndIsGoneOnceItIsThere()
    {
        await using var ctx = new ComponentTestContext();
        ctx.Render<MudPopoverProvider>();
        var form = ctx.Render<RunForm>();
        Assert.Contains(form.FindAll("button"), b => b.TextContent.Trim() == "Download Cats vs Dogs (787 MB)");

        var petImages = Path.Combine(ctx.DataDirectory, "cats_vs_dogs", "PetImages");
        Directory.CreateDirectory(Path.Combine(petImages, "Cat"));
        Directory.CreateDirectory(Path.Combine(petImages, "Dog"));
        var again = ctx.Render<DatasetDownload>();
        Assert.DoesNotContain("Download Cats vs Dogs", again.Markup);
    }

    [Fact]
    public async Task ClickingDownloadShowsAProgressBarAndCancelOffersToResume()
    {
        var zip = PetImagesZipFixture.Shared;
        await using var server = await RangeFileServer.StartAsync(zip.Bytes);
        server.ChunkDelay = TimeSpan.FromMilliseconds(300);
        await using var ctx = new ComponentTestContext(new DownloadSettings { Url = server.Url, ExpectedBytes = zip.Bytes.Length, Sha256 = zip.Sha256 });
        var download = ctx.Render<DatasetDownload>();

        download.FindAll("button").Single(b => b.TextContent.Contains("Download Cats vs Dogs")).Click();
        download.WaitForAssertion(() =>
        {
            Assert.NotNull(download.Find(".mud-progress-linear"));
            Assert.Contains("Downloading", download.Find("[role=status]").TextContent);
        }, TimeSpan.FromSeconds(10));

        download.FindAll("button").Single(b => b.TextContent.Trim() == "Cancel download").Click();
        download.WaitForAssertion(() =>
        {
            Assert.Contains("Download cancelled", download.Markup);
            Assert.Contains(download.FindAll("button"), b => b.TextContent.Trim() == "Resume download");
            Assert.Empty(download.FindAll(".mud-progress-linear"));
        }, TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task FinishedDownloadListsPetImagesWithItsImageCountInTheForm()
    {
        var zip = PetImagesZipFixture.Shared;
        await using var server = await RangeFileServer.StartAsync(zip.Bytes);
        await using var ctx = new ComponentTestContext(new DownloadSettings { Url = server.Url, ExpectedBytes = zip.Bytes.Length, Sha256 = zip.Sha256 });
        var popovers = ctx.Render<MudPopoverProvider>();
        var form = ctx.Render<RunForm>();
        form.Find(".mud-select .mud-input-control").MouseDown();
        popovers.WaitForAssertion(() => Assert.Contains("petimages (download first)", popovers.Markup));

        form.FindAll("button").Single(b => b.TextContent.Contains("Download Cats vs Dogs")).Click();
        form.WaitForAssertion(() => Assert.Contains("Cats vs Dogs is downloaded", form.Markup), TimeSpan.FromSeconds(30));
        popovers.WaitForAssertion(() => Assert.Contains($"petimages ({zip.ExtractedCats + zip.ExtractedDogs} images)", popovers.Markup));
    }
}
