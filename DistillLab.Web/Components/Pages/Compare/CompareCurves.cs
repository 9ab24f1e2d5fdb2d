using DistillLab.Core.Experiments;
using DistillLab.Web.Runs;
using DistillLab.Core.Training;

namespace DistillLab.Web.Components.Pages.Compare;

/// <summary>One line on the Compare chart: a model's metric per epoch, and every run whose curve it is.</summary>
public sealed record CompareCurve(ModelRole Model, CompareSplit Split, IReadOnlyList<(int Epoch, double Value)> Points, IReadOnlyList<RunDetails> Runs)
{
    public static string ModelName(ModelRole role) => ModelRoles.ShortLabel(role);

    /// <summary>"Scratch validation (runs A, B)"; run names are cut short so the legend fits a phone.</summary>
    public string Label(bool withSplit) =>
        $"{ModelName(Model)}{(withSplit ? " " + Split.ToString().ToLowerInvariant() : "")} ({(Runs.Count == 1 ? "run" : "runs")} {string.Join(", ", Runs.Select(r => Short(r.DisplayName)))})";

    private static string Short(string name) => name.Length <= 28 ? name : name[..27] + "…";
}

/// <summary>Turns the chosen runs, metric, models and splits into curves. A curve that several runs share exactly
/// (a reused teacher or scratch student, or any run that trained to the same numbers) is one curve with all their
/// names, so no line hides another.</summary>
public static class CompareCurves
{
    public static IReadOnlyList<CompareCurve> Build(IReadOnlyList<RunDetails> runs, CompareMetric metric,
        IEnumerable<ModelRole> models, IEnumerable<CompareSplit> splits)
    {
        var curves = new List<CompareCurve>();
        foreach (var role in ModelRoles.All.Intersect(metric.Models(models)))
            foreach (var split in new[] { CompareSplit.Validation, CompareSplit.Train }.Intersect(metric.Splits(splits)))
                foreach (var run in runs)
                {
                    var points = run.Model(role).History
                        .Select(e => (e.Epoch, Value: metric.Value(e, split)))
                        .Where(p => p.Value is { } v && double.IsFinite(v))
                        .Select(p => (p.Epoch, p.Value!.Value)).ToList();
                    if (points.Count == 0) continue;
                    int same = curves.FindIndex(c => c.Model == role && c.Split == split && c.Points.SequenceEqual(points));
                    if (same < 0) curves.Add(new CompareCurve(role, split, points, [run]));
                    else curves[same] = curves[same] with { Runs = [.. curves[same].Runs, run] };
                }
        return curves;
    }
}
