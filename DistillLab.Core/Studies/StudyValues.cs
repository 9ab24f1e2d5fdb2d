using System.Globalization;
using System.Text.Json.Serialization;

namespace DistillLab.Core.Studies;

/// <summary>The values a study tries for one setting (α or T): a list, or a range of <see cref="Count"/> values from
/// <see cref="Min"/> to <see cref="Max"/>, evenly spaced on a linear or a log scale.</summary>
/// <remarks>JSON: a list (<c>[0.05, 0.5, 0.9]</c>) or an object (<c>{"min": 1, "max": 10, "count": 3, "scale": "log"}</c>);
/// the command line: <c>0.05,0.5,0.9</c> or <c>min:max:count[:log]</c>. A range is kept as given, so a study's config
/// says what the person asked for; <see cref="Expand"/> gives the values.</remarks>
[JsonConverter(typeof(StudyValuesJsonConverter))]
public sealed record StudyValues
{
    public static readonly IReadOnlyList<string> Scales = ["linear", "log"];

    /// <summary>The values as listed; null for a range.</summary>
    public IReadOnlyList<double>? List { get; init; }
    public double Min { get; init; }
    public double Max { get; init; }
    public int Count { get; init; }
    /// <summary>linear | log.</summary>
    public string Scale { get; init; } = "linear";

    public bool IsRange => List is null;

    public static StudyValues Of(params double[] values) => new() { List = values };

    public static StudyValues Range(double min, double max, int count, string scale = "linear") =>
        new() { Min = min, Max = max, Count = count, Scale = scale };

    /// <summary>The values to try, in order. A range's values are rounded to 10 significant digits, so 0.05..0.9 in
    /// 3 steps gives 0.475, not 0.47500000000000003 (the heat map's labels and a setting's identity stay readable).</summary>
    public IReadOnlyList<double> Expand()
    {
        if (List is { } list) return list;
        if (Count < 1) return [];
        if (Count == 1) return [Min];
        bool log = Scale == "log";
        double from = log ? Math.Log(Min) : Min, to = log ? Math.Log(Max) : Max;
        return Enumerable.Range(0, Count).Select(i =>
        {
            double x = from + (to - from) * i / (Count - 1);
            return Round(log ? Math.Exp(x) : x);
        }).ToList();
    }

    /// <summary>What is wrong with these values for a setting that allows <paramref name="allowed"/>; empty when fine.</summary>
    /// <param name="allowed">Whether one value is allowed.</param>
    /// <param name="allowedText">The allowed range in words, for the messages ("between 0 and 1").</param>
    public IEnumerable<string> Problems(Func<double, bool> allowed, string allowedText)
    {
        if (List is { } list)
        {
            if (list.Count == 0) yield return "needs at least one value.";
            foreach (var bad in list.Where(v => !double.IsFinite(v) || !allowed(v)).Distinct())
                yield return $"values must be {allowedText}; got {Format(bad)}.";
            foreach (var twice in list.GroupBy(v => v).Where(g => g.Count() > 1))
                yield return $"lists {Format(twice.Key)} more than once.";
            yield break;
        }
        if (Count < 1) yield return $"range count must be at least 1; got {Count}.";
        if (!Scales.Contains(Scale)) yield return $"range scale must be linear or log; got '{Quote.Short(Scale)}'.";
        foreach (var (name, bound) in new[] { ("min", Min), ("max", Max) })
            if (!double.IsFinite(bound) || !allowed(bound))
                yield return $"range {name} must be {allowedText}; got {Format(bound)}.";
        if (Min > Max) yield return $"range min ({Format(Min)}) must not be above max ({Format(Max)}).";
        else if (Count > 1 && Min == Max) yield return $"range of {Count} values needs min below max; both are {Format(Min)}.";
    }

    /// <summary>Parses the command line's forms: <c>0.05,0.5,0.9</c> or <c>min:max:count[:log|:linear]</c>.</summary>
    public static bool TryParse(string text, out StudyValues? values, out string? error)
    {
        values = null;
        error = null;
        text = text.Trim();
        if (text.Contains(':'))
        {
            var parts = text.Split(':');
            if (parts.Length is < 3 or > 4 || !TryNumber(parts[0], out var min) || !TryNumber(parts[1], out var max)
                || !int.TryParse(parts[2], NumberStyles.Integer, CultureInfo.InvariantCulture, out var count))
            {
                error = $"a range is min:max:count or min:max:count:log (e.g. 1:10:4:log); got '{Quote.Short(text)}'.";
                return false;
            }
            string scale = parts.Length == 4 ? parts[3].Trim().ToLowerInvariant() : "linear";
            if (!Scales.Contains(scale))
            {
                error = $"a range's scale is linear or log; got '{Quote.Short(parts[3])}'.";
                return false;
            }
            values = Range(min, max, count, scale);
            return true;
        }
        var items = text.Split(',');
        var numbers = new double[items.Length];
        for (int i = 0; i < items.Length; i++)
        {
            if (!TryNumber(items[i], out numbers[i]))
            {
                error = $"a list of numbers separated by commas (e.g. 0.05,0.5,0.9) or a range min:max:count[:log]; got '{Quote.Short(text)}'.";
                return false;
            }
        }
        values = Of(numbers);
        return true;
    }

    public override string ToString() => List is { } list
        ? string.Join(",", list.Select(Format))
        : $"{Format(Min)}:{Format(Max)}:{Count}{(Scale == "log" ? ":log" : "")}";

    private static bool TryNumber(string text, out double value) =>
        double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);

    private static double Round(double value) => double.Parse(value.ToString("G10", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    internal static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    public bool Equals(StudyValues? other) => other is not null
        && (List is null ? other.List is null : other.List is not null && List.SequenceEqual(other.List))
        && Min == other.Min && Max == other.Max && Count == other.Count && Scale == other.Scale;

    public override int GetHashCode() => HashCode.Combine(List?.Count, Min, Max, Count, Scale);
}
