using DistillLab.Tests.Support;
using DistillLab.Core.Export;
using DistillLab.Core.Models;
using static DistillLab.Tests.Core.Export.ExportTestModels;

namespace DistillLab.Tests.Core.Export;

[Collection(TorchCollection.Name)]
public sealed class ExportFileTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("dl-export-").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);

    [Theory]
    [InlineData(ExportFormat.Onnx)]
    [InlineData(ExportFormat.Safetensors)]
    public void ExportingIntoAFolderThatDoesNotExistSaysWhichFolder(ExportFormat format)
    {
        using var model = Build(ModelKind.Student, 48, seed: 1);
        var path = Path.Combine(root, "missing", "student" + ModelExport.Extension(format));
        var error = Assert.Throws<DirectoryNotFoundException>(() => ModelExport.Write(model, CatsDogs, format, path));
        Assert.Contains($"the folder '{Path.Combine(root, "missing")}' does not exist", error.Message);
        Assert.False(Directory.Exists(Path.Combine(root, "missing")));
    }

    [Fact]
    public void ExportingOntoAFolderAsksForAFileName()
    {
        using var model = Build(ModelKind.Student, 48, seed: 1);
        var error = Assert.Throws<IOException>(() => ModelExport.WriteOnnx(model, CatsDogs, root));
        Assert.Contains("it is a folder; give a file name", error.Message);
    }

    [Fact]
    public void ExportingWhereNothingMayBeWrittenSaysSoAndNamesThePath()
    {
        // /sys refuses new files even to root (EACCES), so this holds however the tests run.
        using var model = Build(ModelKind.Student, 48, seed: 1);
        var error = Assert.ThrowsAny<Exception>(() => ModelExport.WriteOnnx(model, CatsDogs, "/sys/student.onnx"));
        Assert.True(error is UnauthorizedAccessException or IOException, error.GetType().Name);
        Assert.StartsWith("Cannot export to '/sys/student.onnx':", error.Message);
    }

    [Fact]
    public void AFailedExportLeavesTheEarlierFileAsItWasAndNoTemporaryFile()
    {
        using var model = Build(ModelKind.Student, 48, seed: 1);
        var path = Path.Combine(root, "student.onnx");
        ModelExport.WriteOnnx(model, CatsDogs, path);
        var before = File.ReadAllBytes(path);

        Assert.Throws<ArgumentException>(() => ModelExport.WriteOnnx(model, new ExportMetadata(["a", "b", "c"]), path));

        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Equal([path], Directory.GetFiles(root));
    }

    [Fact]
    public void ExportingBothFormatsAndLoadingBackLeavesNoTensorsBehind()
    {
        static long Live() => TorchSharp.DisposeScopeManager.Statistics.TensorStatistics.ThreadTotalLiveCount;
        var path = Path.Combine(root, "teacher.safetensors");
        long before = Live();
        using (var teacher = Build(ModelKind.Teacher, 48, seed: 1))
        {
            ModelExport.WriteOnnx(teacher, CatsDogs, Path.Combine(root, "teacher.onnx"));
            ModelExport.WriteSafetensors(teacher, CatsDogs, path);
        }
        ModelExport.LoadSafetensors(path).Dispose();
        Assert.Equal(before, Live());
    }

    [Fact]
    public void FileNamesAreTheRoleKeysAndReadBack()
    {
        Assert.Equal("studentDistilled.onnx", ModelExport.FileName(DistillLab.Core.Training.ModelRole.StudentDistilled, ExportFormat.Onnx));
        Assert.True(ModelExport.TryParseFileName("teacher.safetensors", out var role, out var format));
        Assert.Equal((DistillLab.Core.Training.ModelRole.Teacher, ExportFormat.Safetensors), (role, format));
        Assert.False(ModelExport.TryParseFileName("student.onnx", out _, out _));
        Assert.False(ModelExport.TryParseFileName("Teacher.ONNX", out _, out _));
    }
}
