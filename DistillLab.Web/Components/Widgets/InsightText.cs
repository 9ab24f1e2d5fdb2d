using System.Globalization;

namespace DistillLab.Web.Components.Widgets;

/// <summary>How pages write the insight figures (docs/insight.md): fractions as percentages like accuracy, NLL and KL
/// in nats with three decimals; a dash where a figure does not exist (a teacher's agreement with itself, an old run).</summary>
public static class InsightText
{
    /// <summary>Accuracy, agreement and ECE: "93.8 %".</summary>
    public static string Percent(double? fraction) => AccuracyText.Percent(fraction);

    /// <summary>NLL and KL: "0.214".</summary>
    public static string Nats(double? value) => value is { } x ? x.ToString("0.000", CultureInfo.InvariantCulture) : "—";
}
