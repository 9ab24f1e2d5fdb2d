using System.Globalization;

namespace DistillLab.Web.Components.Widgets;

/// <summary>How pages write test accuracies and the distilled-minus-scratch difference.</summary>
public static class AccuracyText
{
    /// <summary>"80.4 %", or a dash before the model is tested.</summary>
    public static string Percent(double? v) => v is { } x ? (x * 100).ToString("0.0", CultureInfo.InvariantCulture) + " %" : "—";

    /// <summary>Signed accuracy points: "+4.2 points", "−0.8 points", "0.0 points"; a dash until both students are tested.</summary>
    public static string Points(double? gain)
    {
        if (gain is not { } g) return "—";
        double points = Math.Round(g * 100, 1);
        string sign = points > 0 ? "+" : points < 0 ? "−" : "";
        return sign + Math.Abs(points).ToString("0.0", CultureInfo.InvariantCulture) + " points";
    }
}
