using DistillLab.Core.Experiments;

namespace DistillLab.Web.Training;

/// <summary>A rough duration for a run before it starts: training images x epochs / throughput.
/// Throughput comes from the newest finished run at the same image size, else from the figures
/// measured on a 2-core CPU at 64 px (teacher ~210 img/s, student ~260 img/s), scaled by pixel count.</summary>
public static class RunEstimator
{
    public static TimeSpan Estimate(LabConfig config, int poolImages, int defaultImageSize, IEnumerable<RunDetails> history, bool teacherReused)
    {
        int size = config.ImageSize ?? defaultImageSize;
        int pool = config.Limit is { } limit ? Math.Min(limit, poolImages) : poolImages;
        int train = (int)(pool * 0.8);
        double scale = (size * size) / (64.0 * 64.0);
        double teacherRate = 210 / scale, studentRate = 260 / scale;
        var measured = history.FirstOrDefault(r => r.Status == RunStatus.Completed && r.ImageSize == size
            && r.StudentScratch.History.Count > 0);
        if (measured is not null)
        {
            studentRate = measured.StudentScratch.History.Average(e => e.ImagesPerSecond);
            if (measured.Teacher.History.Count > 0 && !measured.Teacher.Reused)
                teacherRate = measured.Teacher.History.Average(e => e.ImagesPerSecond);
        }
        // Validation passes and the distilled student's teacher forward add roughly a quarter.
        double seconds = 1.25 * (teacherReused ? 0 : config.TeacherEpochs * train / Math.Max(teacherRate, 1e-3))
                       + 1.25 * 2 * config.StudentEpochs * train / Math.Max(studentRate, 1e-3);
        return TimeSpan.FromSeconds(seconds);
    }

    public static string Format(TimeSpan t) => t.TotalSeconds < 90 ? $"about {Math.Max(1, Math.Round(t.TotalSeconds))} s"
        : t.TotalMinutes < 90 ? $"about {Math.Round(t.TotalMinutes)} min" : $"about {t.TotalHours:F1} h";
}
