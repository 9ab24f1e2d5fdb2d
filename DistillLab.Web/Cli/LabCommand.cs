using DistillLab.Core.Data;
using DistillLab.Core.Download;
using DistillLab.Core.Experiments;
using DistillLab.Core.Export;
using DistillLab.Core.Models;
using DistillLab.Core.Runtime;
using DistillLab.Core.Training;

namespace DistillLab.Web.Cli;

/// <summary>The headless `lab` command: runs the whole lab from the terminal and exits (0 ok, 2 bad arguments, 1 failed run).</summary>
public static class LabCommand
{
    public static Task<int> RunAsync(string[] args) => Task.FromResult(Run(args, Console.Out, Console.Error));

    internal static int Run(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr, CommandSettings? settings = null)
    {
        var options = LabOptions.Parse(args, out var error);
        if (options is null)
        {
            stderr.WriteLine($"lab: {error}");
            return 2;
        }
        if (options.Help)
        {
            stdout.WriteLine(LabOptions.Usage);
            return 0;
        }

        settings ??= CommandSettings.Load();
        var progress = new ConsoleProgress(stdout, interactive: !Console.IsOutputRedirected);
        using var cancel = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) => { e.Cancel = true; cancel.Cancel(); };
        Console.CancelKeyPress += onCancel;
        try
        {
            var environment = new LabEnvironment(settings.DataDirectory);
            if (!EnsurePetImages(options, settings, environment, progress, stderr, cancel.Token))
                return 2;
            if (options.ExportDirectory is { } exportDirectory && !VerbSupport.CreateExportFolder("lab", exportDirectory, stderr))
                return 2;
            TorchRuntime.Configure(settings.Torch);
            var config = options.Config;
            var runner = new LabRunner(environment);
            using var outcome = runner.Run(config, e =>
            {
                progress.Handle(e);
                if (e is DataLoaded loaded) PrintEstimate(progress, config, loaded);
            }, cancel.Token);

            PrintSummary(progress, outcome.Result);
            if (options.SaveTeacherPath is { } teacherPath)
            {
                ModelCheckpoint.Save(outcome.Teacher, outcome.Teacher.Spec, teacherPath, outcome.TeacherTrainedOn);
                progress.Line($"teacher saved to {teacherPath}");
            }
            if (options.SaveScratchPath is { } scratchPath)
            {
                ModelCheckpoint.Save(outcome.StudentScratch, outcome.StudentScratch.Spec, scratchPath, outcome.ScratchTrainedOn);
                progress.Line($"scratch student saved to {scratchPath}");
            }
            if (options.OutPath is { } outPath)
            {
                LabReport.From(outcome.Result).Save(outPath);
                progress.Line($"results written to {outPath}");
            }
            if (options.ExportDirectory is { } exportTo)
            {
                ExportModels(outcome, exportTo);
                progress.Line($"models exported to {exportTo}: {string.Join(", ", ModelRoles.All.Select(ModelRoles.Key))} as .onnx and .safetensors");
            }
            return 0;
        }
        catch (InvalidLabConfigException e)
        {
            foreach (var problem in e.Errors) stderr.WriteLine($"lab: {LabOptions.OptionName(problem.Field)} {problem.Message}");
            return 2;
        }
        catch (DataSourceException e)
        {
            progress.Line("");
            stderr.WriteLine($"lab: --data {e.Message}");
            return 2;
        }
        catch (Exception e) when (e is DownloadFailedException or ArchiveVerificationException or InsufficientDiskSpaceException)
        {
            progress.Line("");
            stderr.WriteLine($"lab: {e.Message}");
            return 1;
        }
        catch (OperationCanceledException)
        {
            progress.Line("");
            stderr.WriteLine("lab: cancelled; nothing was written.");
            return 1;
        }
        catch (Exception e) when (VerbSupport.IsReported(e))
        {
            progress.Line("");
            stderr.WriteLine($"lab: {e.Message}");
            return 1;
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }

    private static void ExportModels(LabOutcome outcome, string folder)
    {
        foreach (var role in ModelRoles.All)
            foreach (var format in ModelExport.Formats)
                ModelExport.Write(outcome.Model(role), ExportMetadata.For(outcome.Result, role), format, Path.Combine(folder, ModelExport.FileName(role, format)));
    }

    /// <summary>For petimages sources: uses the data set if present, downloads it when --download asks, else explains how to get it.</summary>
    private static bool EnsurePetImages(LabOptions options, CommandSettings settings, LabEnvironment environment,
        ConsoleProgress progress, TextWriter stderr, CancellationToken ct)
    {
        if (!DataSourceSpec.TryParse(options.Config.Data, out var spec, out _) || spec!.Kind != DataSourceKind.PetImages)
            return true;
        var folder = spec.Path ?? environment.PetImagesDirectory;
        if (CatsDogsDataset.IsPresent(folder)) return true;
        var dataset = new CatsDogsDataset(new HttpClient { Timeout = Timeout.InfiniteTimeSpan }, settings.Download ?? new DownloadSettings());
        if (!options.Download)
        {
            stderr.WriteLine($"lab: --data {options.Config.Data}: Cats vs Dogs is not in '{folder}' (no PetImages/Cat and PetImages/Dog). " +
                             $"Add --download to fetch Microsoft's release ({dataset.DownloadSizeText}, checked by size and SHA-256), " +
                             "or point --data petimages:<folder> at a folder that holds PetImages.");
            return false;
        }
        progress.Line($"downloading Cats vs Dogs ({dataset.DownloadSizeText}) from {dataset.Settings.Url} into {folder}");
        var result = dataset.EnsureAsync(folder, new InlineProgress<DownloadProgress>(p => progress.Status(p.Describe())), ct: ct)
            .GetAwaiter().GetResult();
        progress.Line(result.Extraction is { } x
            ? $"extracted {x.Cats:N0} cats and {x.Dogs:N0} dogs into {x.PetImagesFolder}"
            : $"using {result.PetImagesFolder}");
        return true;
    }

    private static void PrintEstimate(ConsoleProgress progress, LabConfig config, DataLoaded loaded)
    {
        var device = TorchRuntime.ResolveDevice(loaded.Device);
        var speed = Throughput.Measure(device, loaded.ImageSize, config.BatchSize);
        var estimate = RunEstimate.Estimate(config, loaded.Data.Train, loaded.Data.Validation, loaded.Data.Test, speed);
        progress.Line($"estimate: about {Format(estimate)} (teacher {speed.TeacherImagesPerSecond:F0} img/s, student {speed.StudentImagesPerSecond:F0} img/s measured here); Ctrl+C cancels");
    }

    private static void PrintSummary(ConsoleProgress progress, LabResult r)
    {
        progress.Line("");
        progress.Line($"measured on {DataSourceText.Describe(r.Data.Source, r.ImageSize)}: {r.Data.Test:N0} test images");
        progress.Line($"{"model",-20} {"parameters",12} {"test accuracy",14} {"test loss",10}");
        foreach (var (role, m) in new[] { (ModelRole.Teacher, r.Teacher), (ModelRole.StudentScratch, r.StudentScratch), (ModelRole.StudentDistilled, r.StudentDistilled) })
            progress.Line($"{ConsoleProgress.Name(role),-20} {m.Parameters,12:N0} {m.TestAccuracy,14:P2} {m.TestLoss,10:F4}");
        double gain = r.StudentDistilled.TestAccuracy - r.StudentScratch.TestAccuracy;
        progress.Line($"distilled - scratch: {gain * 100:+0.00;-0.00;0.00} points; total {Format(TimeSpan.FromSeconds(r.TotalSeconds))}");
        foreach (var f in r.ForeignModels ?? [])
            progress.Line($"warning: the {ConsoleProgress.Name(f.Model)} was not trained on this run's training split (used with --allow-foreign-teacher): " +
                          $"{string.Join("; ", f.Differences)}; {f.Consequence}");
        if (r.Insight is { } insight)
        {
            progress.Line("");
            foreach (var line in InsightTable.Lines(insight)) progress.Line(line);
        }
    }

    private static string Format(TimeSpan t) => t.TotalHours >= 1 ? $"{(int)t.TotalHours} h {t.Minutes} min" : t.TotalMinutes >= 1 ? $"{(int)t.TotalMinutes} min {t.Seconds} s" : $"{t.TotalSeconds:F0} s";
}

/// <summary>Reports on the reporting thread; Progress&lt;T&gt; would post to the thread pool and race the terminal writes.</summary>
internal sealed class InlineProgress<T>(Action<T> report) : IProgress<T>
{
    private readonly Lock gate = new();
    public void Report(T value) { lock (gate) report(value); }
}
