using DistillLab.Core.Data;
using DistillLab.Core.Data.Synthetic;
using DistillLab.Core.Inference;
using DistillLab.Core.Models;

/// <summary>What a trained teacher's soft targets hold for the student, on the training split it was trained on:
/// how often they agree with the training labels and with the pictures' true classes, and how soft they are.</summary>
/// <remarks>For docs/synthetic-data.md's diagnosis. Reads the training split only (never validation or test).
/// "lab" splits 80/10/10 without noise (the set before issue 10); "synthetic" is the set as the lab loads it now.</remarks>
static class TeacherProbe
{
    public static void Report(string checkpoint, int count, int seed, string split)
    {
        using var teacher = ModelCheckpoint.LoadTeacher(checkpoint);
        var pool = SyntheticCatsDogs.Generate(count, teacher.Spec.ImageSize, seed);
        var clean = (split == "lab" ? PoolSplit.Lab : SyntheticCatsDogs.Shares).Apply(pool, seed).Train;
        var given = split == "lab" ? clean : SyntheticCatsDogs.Shares.Apply(pool, seed).Train;
        var predictions = Predictor.Predict(teacher, clean);
        int n = clean.Count;
        var flipped = Enumerable.Range(0, n).Where(i => given.Labels[i] != clean.Labels[i]).ToList();
        var kept = Enumerable.Range(0, n).Where(i => given.Labels[i] == clean.Labels[i]).ToList();
        double Share(IEnumerable<int> items, Func<int, bool> test) => items.Any() ? items.Count(test) / (double)items.Count() : double.NaN;
        // A two-class softmax at temperature T is the logistic of the logit margin over T.
        double AtT(double confidence, double t) => 1 / (1 + Math.Pow((1 - confidence) / confidence, 1 / t));
        double TrueProbability(int i, double t) => predictions[i].Label == clean.Labels[i] ? AtT(predictions[i].Confidence, t) : 1 - AtT(predictions[i].Confidence, t);
        var all = Enumerable.Range(0, n).ToList();
        Console.WriteLine($"{checkpoint}: {n} training pictures ({split}), {flipped.Count} labels flipped");
        Console.WriteLine($"  teacher agrees with the given training label: {Share(all, i => predictions[i].Label == given.Labels[i]):P1}");
        Console.WriteLine($"  teacher right about the picture's true class: {Share(all, i => predictions[i].Label == clean.Labels[i]):P1} " +
                          $"(pictures with a kept label {Share(kept, i => predictions[i].Label == clean.Labels[i]):P1}, with a flipped label {Share(flipped, i => predictions[i].Label == clean.Labels[i]):P1})");
        Console.WriteLine($"  confidence < 0.9 (soft at T = 1): {Share(all, i => predictions[i].Confidence < 0.9):P1}; < 0.7: {Share(all, i => predictions[i].Confidence < 0.7):P1}");
        foreach (double t in new[] { 1.0, 5.0 })
            Console.WriteLine($"  mean soft target for the true class at T = {t}: {all.Average(i => TrueProbability(i, t)):F3}" +
                              (flipped.Count > 0 ? $" (flipped pictures {flipped.Average(i => TrueProbability(i, t)):F3})" : ""));
    }

    /// <summary>How often two trained students disagree on the validation split, and the standard error that gives a
    /// paired accuracy difference measured on it: sqrt((b + c) / n - ((b - c) / n)²) / sqrt(n), with b and c the images
    /// only the first or only the second gets right.</summary>
    public static void Disagreement(string first, string second, int count, int seed, string split)
    {
        using var a = ModelCheckpoint.LoadStudent(first);
        using var b = ModelCheckpoint.LoadStudent(second);
        var pool = SyntheticCatsDogs.Generate(count, a.Spec.ImageSize, seed);
        var validation = (split == "lab" ? PoolSplit.Lab : SyntheticCatsDogs.Shares).Apply(pool, seed).Validation;
        var pa = Predictor.Predict(a, validation);
        var pb = Predictor.Predict(b, validation);
        int n = validation.Count;
        double onlyA = Enumerable.Range(0, n).Count(i => pa[i].Label == validation.Labels[i] && pb[i].Label != validation.Labels[i]) / (double)n;
        double onlyB = Enumerable.Range(0, n).Count(i => pb[i].Label == validation.Labels[i] && pa[i].Label != validation.Labels[i]) / (double)n;
        double se = Math.Sqrt((onlyA + onlyB - Math.Pow(onlyA - onlyB, 2)) / n);
        Console.WriteLine($"{n} validation pictures: only the first right {onlyA:P1}, only the second right {onlyB:P1}; " +
                          $"SE of the paired difference {se * 100:F2} points here, {se * Math.Sqrt(n / 2000.0) * 100:F2} at 2,000 pictures");
    }
}
