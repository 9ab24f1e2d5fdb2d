using DistillLab.Web.Runs;

namespace DistillLab.Web.Components.Pages.Compare;

/// <summary>The runs a /compare?runs=a,b address names, found in the history, and what was wrong with the list.</summary>
public sealed record CompareSelection(IReadOnlyList<RunDetails> Runs, IReadOnlyList<string> Problems)
{
    public const int MaxRuns = 6;

    public static readonly CompareSelection Empty = new([], []);

    public static IReadOnlyList<string> ParseIds(string? ids) =>
        (ids ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct().ToList();

    /// <summary>Looks up each id (with its epochs); more than <see cref="MaxRuns"/> are cut to the first ones, with a message.</summary>
    public static CompareSelection Resolve(string? ids, Func<string, RunDetails?> find)
    {
        var wanted = ParseIds(ids);
        var problems = new List<string>();
        if (wanted.Count > MaxRuns)
        {
            problems.Add($"Compare shows at most {MaxRuns} runs; the address names {wanted.Count}. Left out: {string.Join(", ", wanted.Skip(MaxRuns))}.");
            wanted = wanted.Take(MaxRuns).ToList();
        }
        var runs = new List<RunDetails>();
        var unknown = new List<string>();
        foreach (var id in wanted)
            if (find(id) is { } run) runs.Add(run); else unknown.Add(id);
        if (unknown.Count > 0)
            problems.Add($"No run with the id {string.Join(", ", unknown)} (deleted, or mistyped in the address); {(runs.Count > 0 ? "comparing the others" : "pick runs above")}.");
        return new CompareSelection(runs, problems);
    }

    /// <summary>The /compare address for these runs and metric.</summary>
    public static string Url(IEnumerable<string> ids, string? metric = null)
    {
        var list = string.Join(',', ids.Select(Uri.EscapeDataString));
        var query = new List<string>();
        if (list.Length > 0) query.Add("runs=" + list);
        if (metric is not null && metric != CompareMetric.Accuracy.Key) query.Add("metric=" + metric);
        return "compare" + (query.Count > 0 ? "?" + string.Join('&', query) : "");
    }
}
