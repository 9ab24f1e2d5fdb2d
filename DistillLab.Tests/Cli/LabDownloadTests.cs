using DistillLab.Core.Download;
using DistillLab.Core.Runtime;
using DistillLab.Web.Cli;
using DistillLab.Tests.Support;

namespace DistillLab.Tests.Cli;

[Collection(TorchCollection.Name)]
public sealed class LabDownloadTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("dl-cli-dl-").FullName;
    private readonly StringWriter stdout = new(), stderr = new();

    public void Dispose() => Directory.Delete(root, recursive: true);

    private int Lab(DownloadSettings download, params string[] args) =>
        LabCommand.Run(args, stdout, stderr, new CommandSettings(new TorchSettings(), Path.Combine(root, "data"), download));

    [Fact]
    public void PetImagesWithoutTheDataSetSaysHowToDownloadAndStartsNothing()
    {
        Assert.Equal(2, Lab(new DownloadSettings(), "--data", "petimages", "--device", "cpu"));
        Assert.Contains("Add --download", stderr.ToString());
        Assert.Contains("787 MB", stderr.ToString());
        Assert.False(Directory.Exists(Path.Combine(root, "data", "cats_vs_dogs")));
    }

    [Fact]
    public async Task DownloadFetchesVerifiesExtractsAndThenRunsTheLabOnTheFilteredPhotos()
    {
        var zip = PetImagesZipFixture.Shared;
        await using var server = await RangeFileServer.StartAsync(zip.Bytes);
        {
            var settings = new DownloadSettings { Url = server.Url, ExpectedBytes = zip.Bytes.Length, Sha256 = zip.Sha256 };
            int code = Lab(settings, "--data", "petimages", "--download", "--image-size", "48", "--teacher-epochs", "1",
                "--student-epochs", "1", "--batch-size", "8", "--device", "cpu");

            Assert.True(code == 0, stderr.ToString());
            Assert.Contains($"extracted {zip.ExtractedCats} cats and {zip.ExtractedDogs} dogs", stdout.ToString());
            Assert.Contains("skipped", stdout.ToString());
            Assert.Contains("no-jfif-header", stdout.ToString());
            Assert.True(CatsDogsDataset.IsPresent(Path.Combine(root, "data", "cats_vs_dogs")));
        }
    }

    [Fact]
    public async Task AWrongChecksumFailsTheRunWithExitCode1AndExtractsNothing()
    {
        var zip = PetImagesZipFixture.Shared;
        await using var server = await RangeFileServer.StartAsync(zip.Bytes);
        {
            var settings = new DownloadSettings { Url = server.Url, ExpectedBytes = zip.Bytes.Length, Sha256 = new string('0', 64) };
            Assert.Equal(1, Lab(settings, "--data", "petimages", "--download", "--device", "cpu"));
            Assert.Contains("SHA-256", stderr.ToString());
            Assert.False(CatsDogsDataset.IsPresent(Path.Combine(root, "data", "cats_vs_dogs")));
        }
    }
}
