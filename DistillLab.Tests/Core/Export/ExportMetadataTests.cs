using DistillLab.Core.Experiments;
using DistillLab.Core.Export;
using DistillLab.Core.Models;
using DistillLab.Core.Training;

namespace DistillLab.Tests.Core.Export;

public sealed class ExportMetadataTests
{
    private static readonly LabConfig Config = new() { Alpha = 0.3, Temperature = 7, ScaleByTemperatureSquared = true, Seed = 11 };
    private static readonly ModelSpec Student = new(ModelKind.Student, 32, 3, 2);

    [Fact]
    public void TheDistilledStudentSaysWhichAlphaAndTemperatureItWasDistilledWith()
    {
        var properties = ExportMetadata.For(Config, ["cat", "dog"], ModelRole.StudentDistilled).Properties(Student)
            .ToDictionary(p => p.Key, p => p.Value);
        Assert.Equal("studentDistilled", properties["role"]);
        Assert.Equal("0.3", properties["alpha"]);
        Assert.Equal("7", properties["temperature"]);
        Assert.Equal("true", properties["scale_by_temperature_squared"]);
        Assert.Equal("11", properties["seed"]);
    }

    [Theory]
    [InlineData(ModelRole.Teacher)]
    [InlineData(ModelRole.StudentScratch)]
    public void ModelsTrainedWithoutTheTeacherCarryNoDistillationSetting(ModelRole role)
    {
        var spec = role == ModelRole.Teacher ? new ModelSpec(ModelKind.Teacher, 32, 3, 2) : Student;
        var keys = ExportMetadata.For(Config, ["cat", "dog"], role).Properties(spec).Select(p => p.Key).ToList();
        Assert.DoesNotContain("alpha", keys);
        Assert.DoesNotContain("temperature", keys);
        Assert.Contains("seed", keys);
    }
}
