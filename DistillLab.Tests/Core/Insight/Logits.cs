namespace DistillLab.Tests.Core.Insight;

/// <summary>Logits chosen so that their softmax is a round number: for two classes [ln a, ln b] gives a/(a+b), b/(a+b).</summary>
internal static class Logits
{
    public static float Ln(double x) => (float)Math.Log(x);

    /// <summary>Two-class logits whose softmax is (p, 1 - p).</summary>
    public static float[] Two(double p) => [Ln(p), Ln(1 - p)];
}
