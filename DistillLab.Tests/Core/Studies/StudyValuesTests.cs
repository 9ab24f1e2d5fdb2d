using DistillLab.Tests.Support;
using DistillLab.Core.Studies;

namespace DistillLab.Tests.Core.Studies;

public sealed class StudyValuesTests
{
    [Fact]
    public void AListIsReadAsWritten()
    {
        Assert.True(StudyValues.TryParse("0.05,0.5, 0.9", out var values, out _));
        Assert.Equal([0.05, 0.5, 0.9], values!.Expand());
        Assert.Equal("0.05,0.5,0.9", values.ToString());
    }

    [Fact]
    public void ALinearRangeIsEvenlySpacedAndRoundedToReadableValues()
    {
        Assert.True(StudyValues.TryParse("0.05:0.9:3", out var values, out _));
        Assert.True(values!.IsRange);
        Assert.Equal([0.05, 0.475, 0.9], values.Expand());
    }

    [Fact]
    public void ALogRangeIsEvenlySpacedOnALogScale()
    {
        Assert.True(StudyValues.TryParse("1:100:3:log", out var values, out _));
        Assert.Equal([1, 10, 100], values!.Expand());
        Assert.Equal("1:100:3:log", values.ToString());
        Assert.Equal([1, 3.16227766, 10], StudyValues.Range(1, 10, 3, "log").Expand());
    }

    [Theory]
    [InlineData("0.1,x", "a list of numbers separated by commas")]
    [InlineData("1:10", "a range is min:max:count")]
    [InlineData("1:10:3:cubic", "scale is linear or log")]
    [InlineData("1:10:2.5", "a range is min:max:count")]
    public void MalformedTextIsRefusedWithTheFormsItAllows(string text, string message)
    {
        Assert.False(StudyValues.TryParse(text, out _, out var error));
        Assert.Contains(message, error);
    }
}
