using DistillLab.Tests.Support;
using DistillLab.Core.Insight;
using static DistillLab.Tests.Core.Insight.Logits;

namespace DistillLab.Tests.Core.Insight;

public class LogitMetricsTests
{
    [Fact]
    public void AccuracyCountsPredictionsEqualToTheLabelWithATieGoingToTheFirstClass()
    {
        float[][] logits = [[2f, 1f], [0f, 3f], [1f, 1f], [-1f, 5f]]; // predicted 0, 1, 0 (tie), 1
        Assert.Equal(0.75, LogitMetrics.Accuracy(logits, [0, 0, 0, 1])); // right, wrong, right, right
    }

    [Fact]
    public void NegativeLogLikelihoodIsTheMeanOfMinusLnOfTheTrueClassProbability()
    {
        // p(true) = 0.8, 0.1, 0.5, 0.75: (0.2231436 + 2.3025851 + 0.6931472 + 0.2876821) / 4 = 0.8766395 nats.
        float[][] logits = [Two(0.8), Two(0.9), [0f, 0f], Two(0.75)];
        Assert.Equal(0.8766395, LogitMetrics.NegativeLogLikelihood(logits, [0, 1, 1, 0]), 1e-6);
    }

    [Fact]
    public void NegativeLogLikelihoodStaysFiniteForAConfidentMistake()
    {
        // p(true) = e^-1000, which is 0 in a double; -ln of it is still 1000.
        Assert.Equal(1000, LogitMetrics.NegativeLogLikelihood([[1000f, 0f]], [1]), 1e-9);
    }

    [Fact]
    public void NegativeLogLikelihoodEqualsTorchCrossEntropy()
    {
        var random = new Random(4);
        var logits = Enumerable.Range(0, 20).Select(_ => Enumerable.Range(0, 3).Select(_ => (float)(random.NextDouble() * 8 - 4)).ToArray()).ToArray();
        var labels = Enumerable.Range(0, 20).Select(_ => random.Next(3)).ToArray();
        using var input = TorchSharp.torch.tensor(logits.SelectMany(r => r).ToArray(), [20, 3]);
        using var target = TorchSharp.torch.tensor(labels.Select(l => (long)l).ToArray());
        using var loss = TorchSharp.torch.nn.functional.cross_entropy(input, target);
        Assert.Equal(loss.item<float>(), LogitMetrics.NegativeLogLikelihood(logits, labels), 1e-5);
    }

    [Fact]
    public void AgreementIsOneWhenTheStudentPredictsAsTheTeacherAndZeroWhenItNeverDoes()
    {
        float[][] teacher = [[3f, 0f], [0f, 1f], [0f, 2f], [5f, -5f]]; // predicts 0, 1, 1, 0
        float[][] same = [[0.1f, 0f], [-4f, 9f], [1f, 1.5f], [2f, 1f]]; // other logits, same classes
        float[][] opposite = [[0f, 1f], [1f, 0f], [1f, 0f], [0f, 1f]];
        float[][] half = [[1f, 0f], [1f, 0f], [0f, 1f], [0f, 1f]]; // agrees on the 1st and 3rd
        Assert.Equal(1.0, LogitMetrics.Agreement(teacher, same));
        Assert.Equal(0.0, LogitMetrics.Agreement(teacher, opposite));
        Assert.Equal(0.5, LogitMetrics.Agreement(teacher, half));
    }

    [Fact]
    public void KlDivergenceIsZeroForIdenticalLogitsAndForLogitsThatDifferByAConstant()
    {
        float[][] teacher = [[1f, 2f, 3f], [0f, -7f, 4f]];
        Assert.Equal(0, LogitMetrics.MeanKlDivergence(teacher, teacher));
        // Softmax ignores a constant added to every logit, so these are the same distributions.
        Assert.Equal(0, LogitMetrics.MeanKlDivergence(teacher, [[11f, 12f, 13f], [-5f, -12f, -1f]]), 1e-12);
    }

    [Fact]
    public void KlDivergenceRunsFromTheTeachersSoftmaxToTheStudents()
    {
        // KL(0.8, 0.2 || 0.5, 0.5) = 0.8 ln(0.8/0.5) + 0.2 ln(0.2/0.5) = 0.3760029 - 0.1832581 = 0.1927448;
        // the other way round it is 0.5 ln(0.5/0.8) + 0.5 ln(0.5/0.2) = 0.2231436: the order matters.
        Assert.Equal(0.1927448, LogitMetrics.MeanKlDivergence([Two(0.8)], [[0f, 0f]]), 1e-6);
        Assert.Equal(0.2231436, LogitMetrics.MeanKlDivergence([[0f, 0f]], [Two(0.8)]), 1e-6);
    }

    [Fact]
    public void KlDivergenceIsTheMeanOverImages()
    {
        // Image 1 as above (0.1927448); image 2: KL(0.5, 0.25, 0.25 || 1/3 each) = 0.5 ln 1.5 + 0.5 ln 0.75 = 0.0588915.
        float[][] teacher = [[Ln(0.8), Ln(0.2), -100f], [Ln(2), 0f, 0f]];
        float[][] student = [[0f, 0f, -100f], [0f, 0f, 0f]];
        // The -100 logits leave e^-100 of probability on class 3, far below the tolerance.
        Assert.Equal((0.1927448 + 0.0588915) / 2, LogitMetrics.MeanKlDivergence(teacher, student), 1e-6);
    }

    [Fact]
    public void MismatchedShapesAndBadLabelsAreRefusedWithAMessage()
    {
        Assert.Contains("2 rows of logits but 1 labels", Assert.Throws<ArgumentException>(() => LogitMetrics.Accuracy([[0f, 1f], [1f, 0f]], [0])).Message);
        Assert.Contains("Label 2 of image 0 is not a class index (0 to 1)", Assert.Throws<ArgumentException>(() => LogitMetrics.NegativeLogLikelihood([[0f, 1f]], [2])).Message);
        Assert.Contains("must have the teacher's shape", Assert.Throws<ArgumentException>(() => LogitMetrics.Agreement([[0f, 1f]], [[0f, 1f, 2f]])).Message);
        Assert.Contains("No images", Assert.Throws<ArgumentException>(() => LogitMetrics.MeanKlDivergence([], [])).Message);
    }
}
