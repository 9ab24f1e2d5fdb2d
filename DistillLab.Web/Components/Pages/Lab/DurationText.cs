namespace DistillLab.Web.Components.Pages.Lab;

/// <summary>Durations as people read them: "about 45 s", "about 3 min", "about 1.5 h".</summary>
public static class DurationText
{
    public static string About(TimeSpan t) => t.TotalSeconds < 90 ? $"about {Math.Max(1, Math.Round(t.TotalSeconds))} s"
        : t.TotalMinutes < 90 ? $"about {Math.Round(t.TotalMinutes)} min" : $"about {t.TotalHours:F1} h";
}
