using DistillLab.Core;
using DistillLab.Core.Data;
using DistillLab.Core.Experiments;
using DistillLab.Core.Export;
using DistillLab.Core.Runtime;
using DistillLab.Core.Studies;
using DistillLab.Core.Training;

namespace DistillLab.Web.Cli;

/// <summary>The headless `study` command: runs a study from the terminal, prints the heat map and the verdict, and exits
/// (0 ok, 2 bad arguments, 1 failed), as `lab` does.</summary>
public static class StudyCommand
{
    public static int Run(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr) => Run(args, stdout, stderr, null);

    internal static int Run(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr, CommandSettings? settings)
    {
        var options = StudyOptions.Parse(args, out var error);
        if (options is null)
        {
            stderr.WriteLine($"study: {error}");
            return 2;
        }
        if (options.Help)
        {
            stdout.WriteLine(StudyOptions.Usage);
            return 0;
        }

        StudyProgressFile? progressFile = null;
        if (options.WorkFolder is { } work)
        {
            try
            {
                progressFile = StudyProgressFile.Load(work, options.Config, out error);
            }
            catch (Exception e) when (e is IOException or System.Text.Json.JsonException or UnauthorizedAccessException)
            {
                error = $"--work '{work}': {StudyProgressFile.FileName} cannot be read ({e.Message}).";
            }
            if (error is not null)
            {
                stderr.WriteLine($"study: {error}");
                return 2;
            }
            progressFile ??= new StudyProgressFile(options.Config, [], [], []);
        }

        if (options.ExportDirectory is { } exportDirectory && !VerbSupport.CreateExportFolder("study", exportDirectory, stderr))
            return 2;
        settings ??= CommandSettings.Load();
        var progress = new ConsoleProgress(stdout, interactive: !Console.IsOutputRedirected);
        using var cancel = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) => { e.Cancel = true; cancel.Cancel(); };
        Console.CancelKeyPress += onCancel;
        try
        {
            TorchRuntime.Configure(settings.Torch);
            var config = options.Config;
            var inputs = new StudyInputs
            {
                Teachers = progressFile?.Teachers.ToList() ?? [], Baseline = progressFile?.Baseline.ToList() ?? [],
                Trials = progressFile?.Trials.ToList() ?? [], WorkFolder = options.WorkFolder,
                BestStudent = options.ExportDirectory is { } folder ? best => Export(best, folder) : null,
            };
            if (inputs.Trials.Count > 0)
                progress.Line($"resuming from {options.WorkFolder}: {inputs.Trials.Count} of {config.TrialCount()} trials finished");
            else
                progress.Line($"study: {config.SettingCount()} settings × {config.Seeds} seeds = {config.TrialCount()} trials, seeds {string.Join(", ", config.SeedList())}");
            var baselineVal = inputs.Baseline.ToDictionary(b => b.Seed, b => b.ValAccuracy);
            var result = new StudyRunner(new LabEnvironment(settings.DataDirectory)).Run(config, inputs, e =>
            {
                progressFile?.Record(e, options.WorkFolder!);
                if (e is BaselineCompleted b) baselineVal[b.Baseline.Seed] = b.Baseline.ValAccuracy;
                Print(progress, e, baselineVal);
            }, cancel.Token);

            progress.Line("");
            foreach (var line in StudyTable.HeatMap(result)) progress.Line(line);
            progress.Line("");
            if (result.Best is { } best)
            {
                progress.Line($"best on validation: {new StudySetting(best.Alpha, best.Temperature, best.ScaleByTemperatureSquared)}; on test, per seed " +
                              $"{string.Join(", ", config.SeedList())}: distilled {Percents(best.Test.Distilled)}, scratch {Percents(best.Test.Scratch)}");
                progress.Line($"verdict: {best.Verdict}");
            }
            else progress.Line("verdict: none: no setting completed a trial on every seed (pruned or failed), so nothing was confirmed on test.");
            if (options.ExportDirectory is { } exportTo)
                progress.Line(result.Best is null ? $"nothing exported to {exportTo}: there is no best setting"
                    : $"best students exported to {exportTo}: {string.Join(", ", BestStudents.FileNames(config.SeedList()))}");
            progress.Line($"total {TimeSpan.FromSeconds(result.TotalSeconds):h\\:mm\\:ss}");
            if (options.OutPath is { } outPath)
            {
                result.Save(outPath);
                progress.Line($"results written to {outPath}");
            }
            return 0;
        }
        catch (InvalidLabConfigException e)
        {
            foreach (var problem in e.Errors) stderr.WriteLine($"study: {StudyOptions.OptionName(problem.Field)} {problem.Message}");
            return 2;
        }
        catch (DataSourceException e)
        {
            progress.Line("");
            stderr.WriteLine($"study: --data {e.Message}");
            return 2;
        }
        catch (OperationCanceledException)
        {
            progress.Line("");
            stderr.WriteLine(options.WorkFolder is { } folder
                ? $"study: cancelled; finished trials are kept in {folder}: run the same command to go on."
                : "study: cancelled; nothing was written.");
            return 1;
        }
        catch (Exception e) when (VerbSupport.IsReported(e))
        {
            progress.Line("");
            stderr.WriteLine($"study: {e.Message}");
            return 1;
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }

    private static void Export(BestStudent best, string folder)
    {
        foreach (var format in ModelExport.Formats)
            ModelExport.Write(best.Model, best.Metadata, format, Path.Combine(folder, BestStudents.FileName(best.Seed, format)));
    }

    private static void Print(ConsoleProgress progress, LabEvent e, Dictionary<int, double> baselineVal)
    {
        double? Delta(TrialResult t) => t.ValAccuracy is { } v && baselineVal.TryGetValue(t.Seed, out var b) ? (v - b) * 100 : null;
        switch (e)
        {
            case SeedStarted s:
                progress.Line($"seed {s.Seed} ({s.Index} of {s.Count})");
                break;
            case TeacherReady t:
                progress.Line($"  teacher, seed {t.Teacher.Seed}: test accuracy {t.Teacher.TestAccuracy:P2}{(t.Teacher.Reused ? " (reused)" : "")}");
                break;
            case BaselineCompleted b:
                progress.Line($"  baseline (scratch student), seed {b.Baseline.Seed}: val accuracy {b.Baseline.ValAccuracy:P2}");
                break;
            case TrialStarted t:
                progress.Line($"trial {t.Number}/{t.Total}: {t.Trial}");
                break;
            case TrialCompleted c:
                progress.Line($"  done: val accuracy {c.Trial.ValAccuracy:P2} ({Delta(c.Trial):+0.0;-0.0;0.0} points vs scratch)");
                break;
            case TrialPruned p:
                progress.Line($"  pruned after epoch {p.Trial.Epochs}: val accuracy {p.Trial.ValAccuracy:P2}");
                break;
            case TrialFailed f:
                progress.Line($"  failed: {f.Trial.Error}");
                break;
            case PhaseStarted or EpochCompleted or BatchProgress or DataLoaded or DataProgress:
                progress.Handle(e);
                break;
        }
    }

    private static string Percents(IEnumerable<double> values) => string.Join(" / ", values.Select(v => v.ToString("P1", System.Globalization.CultureInfo.InvariantCulture)));
}
