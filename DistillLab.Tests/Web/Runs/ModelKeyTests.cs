using System.Text.Json;
using DistillLab.Core.Experiments;
using DistillLab.Web.Hosting;
using DistillLab.Web.Runs;
using DistillLab.Core.Training;

namespace DistillLab.Tests.Web.Runs;

public class ModelKeyTests
{
    private static string Key(ModelRole role, LabConfig c) => ModelKey.For(role, c).ToString();

    [Fact]
    public void ARetuneOfAlphaTOrT2KeepsBothKeysAndEpochsOnlyMoveTheirOwnModel()
    {
        var base_ = new LabConfig();
        var retune = base_ with { Alpha = 0.7, Temperature = 2, ScaleByTemperatureSquared = true };
        foreach (var role in new[] { ModelRole.Teacher, ModelRole.StudentScratch })
            Assert.Equal(Key(role, base_), Key(role, retune));
        Assert.Equal(Key(ModelRole.Teacher, base_), Key(ModelRole.Teacher, base_ with { StudentEpochs = 9 }));
        Assert.NotEqual(Key(ModelRole.StudentScratch, base_), Key(ModelRole.StudentScratch, base_ with { StudentEpochs = 9 }));
        Assert.Equal(Key(ModelRole.StudentScratch, base_), Key(ModelRole.StudentScratch, base_ with { TeacherEpochs = 9 }));
        Assert.NotEqual(Key(ModelRole.Teacher, base_), Key(ModelRole.Teacher, base_ with { TeacherEpochs = 9 }));
        Assert.NotEqual(Key(ModelRole.Teacher, base_), Key(ModelRole.StudentScratch, base_));
    }

    /// <summary>A model stored for the built-in set before it was redrawn (3 December 2026) has a key without the set's
    /// split rule; today's runs must not find it. Photos' keys are as they were, so their stored models are still found.</summary>
    [Fact]
    public void TheBuiltInSetsKeyNamesItsSplitRuleAndPhotosKeysAreUnchanged()
    {
        // How every key was written before the set was redrawn: role and settings only.
        static string Before(LabConfig c) =>
            $"{ModelRole.Teacher}|{JsonSerializer.Serialize(ModelKey.For(ModelRole.Teacher, c).Shape, JsonDefaults.Options)}";
        var synthetic = new LabConfig { Data = "synthetic" };
        var photos = new LabConfig { Data = "petimages" };

        Assert.Equal(Before(synthetic) + "|seeded shuffle, 50/25/25; 10 % of training labels flipped", Key(ModelRole.Teacher, synthetic));
        Assert.NotEqual(Before(synthetic), Key(ModelRole.Teacher, synthetic));
        Assert.Equal(Before(photos), Key(ModelRole.Teacher, photos));
    }

    [Fact]
    public void ThePetImagesDefaultResizeAndItsNameAreOneKey() =>
        Assert.Equal(Key(ModelRole.Teacher, new LabConfig { Data = "petimages" }), Key(ModelRole.Teacher, new LabConfig { Data = "petimages", Resize = "lab" }));

    /// <summary>Every setting of LabConfig, changed alone, changes the teacher's key unless it is one of the few that
    /// cannot shape a teacher: a new hyper-parameter is part of the key without anyone remembering to add it.</summary>
    [Fact]
    public void EverySettingShapesTheTeacherUnlessItCannot()
    {
        string[] cannot = ["Alpha", "Temperature", "ScaleByTemperatureSquared", "StudentEpochs", "TeacherPath", "ScratchPath", "AllowForeignTeacher"];
        var original = new LabConfig { Data = "folder:/data/pets" };
        foreach (var property in typeof(LabConfig).GetProperties().Where(p => p.CanWrite))
        {
            var changed = original with { };
            object value = property.PropertyType switch
            {
                var t when t == typeof(string) => property.Name == "Data" ? "folder:/data/cats" : property.Name == "Resize" ? "lab" : property.Name == "Split" ? "tfds" : "x",
                var t when t == typeof(int) || t == typeof(int?) => 77,
                var t when t == typeof(double) || t == typeof(double?) => 0.123,
                var t when t == typeof(bool) => true,
                var t => throw new InvalidOperationException($"Give LabConfig.{property.Name} ({t}) a test value here."),
            };
            property.SetValue(changed, value);
            bool moved = Key(ModelRole.Teacher, original) != Key(ModelRole.Teacher, changed);
            Assert.True(moved != cannot.Contains(property.Name), $"{property.Name}: key {(moved ? "moved" : "did not move")}");
        }
    }
}
