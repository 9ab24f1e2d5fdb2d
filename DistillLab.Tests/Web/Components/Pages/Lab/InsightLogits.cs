using DistillLab.Core.Insight;

using DistillLab.Tests.Support;

namespace DistillLab.Tests.Web.Components.Pages.Lab;

/// <summary>Four test images (cat, dog, dog, cat) whose figures are easy to work out by hand.</summary>
public static class InsightLogits
{
    // Teacher: right on all four (predicts cat, dog, dog, cat).
    private static readonly float[][] Teacher = [[2f, 0f], [0f, 2f], [0f, 1f], [1f, 0f]];
    // Scratch: predicts cat, cat, dog, dog: right on images 0 and 2, and so agrees with the teacher there only.
    private static readonly float[][] Scratch = [[1f, 0f], [1f, 0f], [0f, 1f], [0f, 1f]];

    /// <summary>The distilled student predicts cat, dog, dog, dog: 3 of 4 right, agreeing with the teacher on 3 of 4;
    /// its confusion matrix is cat [1, 1], dog [0, 2]. With <paramref name="followsTeacher"/> false it predicts as the
    /// scratch student does (2 of 4).</summary>
    public static TestLogits Of(bool followsTeacher = true) => new(["cat", "dog"], [0, 1, 1, 0], Teacher, Scratch,
        followsTeacher ? [[3f, 0f], [0f, 3f], [0f, 3f], [0f, 1f]] : Scratch);

    public static RunInsight Insight(bool followsTeacher = true) => RunInsight.Of(Of(followsTeacher));
}
