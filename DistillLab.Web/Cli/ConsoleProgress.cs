using System.Diagnostics;
using DistillLab.Core.Data;
using DistillLab.Core.Experiments;
using DistillLab.Core.Training;
using DistillLab.Core;

namespace DistillLab.Web.Cli;

/// <summary>Turns lab events into a terminal progress bar (redrawn in place) and one line per finished epoch.</summary>
internal sealed class ConsoleProgress(TextWriter output, bool interactive)
{
    private readonly Stopwatch sinceRedraw = Stopwatch.StartNew();
    private readonly Stopwatch phaseClock = new();
    private bool barVisible;

    public void Handle(LabEvent e)
    {
        switch (e)
        {
            case DataProgress p when interactive && sinceRedraw.ElapsedMilliseconds > 200:
                Bar($"{p.Stage,-10} {Bar(p.Done, p.Total)} {p.Done}/{p.Total}");
                break;
            case DataLoaded loaded:
                var data = loaded.Data;
                Line($"data: {DataSourceText.Describe(data.Source)} - classes {string.Join(", ", data.Classes)}; train {data.Train}, validation {data.Validation}, test {data.Test}; " +
                     $"{loaded.ImageSize} px on {loaded.Device}" + Skipped(data.Skipped));
                break;
            case PhaseStarted s:
                phaseClock.Restart();
                Line($"{Name(s.Model)}: {s.Epochs} epochs x {s.BatchesPerEpoch} batches, {s.Parameters:N0} parameters");
                break;
            case BatchProgress b when interactive && (sinceRedraw.ElapsedMilliseconds > 200 || b.Batch == b.Batches):
                int done = (b.Epoch - 1) * b.Batches + b.Batch, total = b.Epochs * b.Batches;
                var left = TimeSpan.FromSeconds(phaseClock.Elapsed.TotalSeconds / done * (total - done));
                Bar($"{Name(b.Model),-17} epoch {b.Epoch}/{b.Epochs} {Bar(done, total)} batch {b.Batch}/{b.Batches} loss {b.Loss:F3} ~{left:m\\:ss} left");
                break;
            case EpochCompleted c:
                var m = c.Metrics;
                Line($"  {Name(c.Model),-17} epoch {m.Epoch}: train acc {m.TrainAccuracy:P1} loss {m.TrainLoss:F4} | val acc {m.ValAccuracy:P1} loss {m.ValLoss:F4}" +
                     (m.DistillationLoss is { } d ? $" | student_loss {m.StudentLoss:F4} distillation_loss {d:F4}" : "") +
                     $" | {m.Seconds:F1} s, {m.ImagesPerSecond:F0} img/s");
                break;
            case PhaseCompleted p:
                Line($"  {Name(p.Model)} test accuracy {p.Result.TestAccuracy:P2}, loss {p.Result.TestLoss:F4}" + (p.Result.Reused ? $" (reused {(p.Model == ModelRole.Teacher ? "teacher" : "scratch student")})" : ""));
                break;
        }
    }

    /// <summary>A one-line status redrawn in place (interactive terminals only).</summary>
    public void Status(string text)
    {
        if (interactive && sinceRedraw.ElapsedMilliseconds > 200) Bar(text);
    }

    public void Line(string text)
    {
        if (barVisible) output.Write("\r\x1b[2K");
        barVisible = false;
        output.WriteLine(text);
    }

    private void Bar(string text)
    {
        output.Write("\r\x1b[2K" + text);
        barVisible = true;
        sinceRedraw.Restart();
    }

    private static string Bar(int done, int total, int width = 24)
    {
        int filled = total == 0 ? width : (int)Math.Round(width * (double)done / total);
        return "[" + new string('#', filled) + new string('.', width - filled) + "]";
    }

    public static string Name(ModelRole role) => ModelRoles.Label(role).ToLowerInvariant();

    private static string Skipped(IReadOnlyDictionary<string, int> skipped) =>
        skipped.Count == 0 ? "" : "; skipped " + string.Join(", ", skipped.Select(kv => $"{kv.Value} {kv.Key}"));
}
