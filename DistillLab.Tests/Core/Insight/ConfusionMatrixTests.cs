using DistillLab.Tests.Support;
using DistillLab.Core.Insight;

namespace DistillLab.Tests.Core.Insight;

public class ConfusionMatrixTests
{
    [Fact]
    public void RowsAreTrueClassesAndColumnsPredictedOnes()
    {
        // true:      0  0  1  2  2  2
        // predicted: 0  1  1  2  0  2
        float[][] logits = [[3f, 0f, 0f], [0f, 3f, 0f], [0f, 3f, 0f], [0f, 0f, 3f], [3f, 0f, 0f], [0f, 1f, 3f]];
        var matrix = ConfusionMatrix.Of(logits, [0, 0, 1, 2, 2, 2], ["cat", "dog", "fox"]);

        Assert.Equal(["cat", "dog", "fox"], matrix.Classes);
        Assert.Equal([1, 1, 0], matrix.Counts[0]); // one cat right, one taken for a dog
        Assert.Equal([0, 1, 0], matrix.Counts[1]);
        Assert.Equal([1, 0, 2], matrix.Counts[2]); // one fox taken for a cat
        Assert.Equal(6, matrix.Counts.Sum(row => row.Sum()));
    }

    [Fact]
    public void ClassNamesMustMatchTheNumberOfClasses()
    {
        var error = Assert.Throws<ArgumentException>(() => ConfusionMatrix.Of([[1f, 0f]], [0], ["cat", "dog", "fox"]));
        Assert.Contains("3 class names for logits of 2 classes", error.Message);
    }
}
