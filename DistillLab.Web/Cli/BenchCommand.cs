using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using DistillLab.Core.Benchmarks;
using DistillLab.Core.Runtime;
using static TorchSharp.torch;

namespace DistillLab.Web.Cli;

/// <summary>`bench`: training throughput with and without the data pipeline, and the same models in PyTorch, in one run.</summary>
public static class BenchCommand
{
    private const string Description = """
        Measures, in one run on this machine: training images/s of the teacher and the student (bare Adam steps, then
        a real epoch through the data pipeline), a distilled student's epoch with the teacher's logits cached and with the
        teacher run per batch, the pipeline alone, and the same models in PyTorch
        (bench/pytorch_reference.py) with the same thread count. Each round measures everything once, in turn; the
        tables show the median of the rounds, so a burst of load on a shared machine hits both sides of a ratio alike.
        """;

    private sealed class Options
    {
        public Command Bench { get; } = new("bench", Description);
        public Option<string> ImageSize { get; } = Int("--image-size", "square input size, >= 46 (default 64)");
        public Option<string> BatchSize { get; } = Int("--batch-size", "(default 32)");
        public Option<string> Images { get; } = Int("--images", "images per measured epoch (default 1600)");
        public Option<string> Steps { get; } = Int("--steps", "bare training steps per model (default 40)");
        public Option<string> Rounds { get; } = Int("--rounds", "rounds; the tables show their medians (default 3)");
        public Option<string> Device { get; } = new("--device") { Description = "cpu (default) | cuda", HelpName = "D" };
        public Option<string> Python { get; } = new("--python") { Description = "Python with PyTorch (default /usr/bin/python3)", HelpName = "PATH" };
        public Option<bool> NoPyTorch { get; } = new("--no-pytorch") { Description = "skip the PyTorch reference" };

        public Options()
        {
            foreach (Option option in new Option[] { ImageSize, BatchSize, Images, Steps, Rounds, Device, Python, NoPyTorch })
                Bench.Options.Add(option);
        }

        private static Option<string> Int(string name, string help) => new(name) { Description = help, HelpName = "N" };
    }

    public static int Run(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr)
    {
        var options = new Options();
        var root = new RootCommand { Subcommands = { options.Bench } };
        var result = root.Parse(["bench", .. args]);
        int imageSize, batchSize, images, steps, rounds;
        string device, python;
        bool pytorch;
        try
        {
            if (result.UnmatchedTokens.FirstOrDefault() is { } unknown)
                throw new FormatException($"Unknown option '{Core.Quote.Short(unknown)}'. Run 'bench --help'.");
            if (result.Errors.FirstOrDefault() is { } error) throw new FormatException(error.Message);
            if (result.Action is System.CommandLine.Help.HelpAction)
            {
                result.Invoke(new InvocationConfiguration { Output = stdout });
                return 0;
            }
            int Int(Option<string> option, int fallback, int min) => result.GetValue(option) is not { } text ? fallback
                : int.TryParse(text, CultureInfo.InvariantCulture, out var v) && v >= min
                    ? v : throw new FormatException($"{option.Name} must be a whole number >= {min}; got '{Core.Quote.Short(text)}'.");
            imageSize = Int(options.ImageSize, 64, 46);
            batchSize = Int(options.BatchSize, 32, 1);
            images = Int(options.Images, 1600, 1);
            steps = Int(options.Steps, 40, 1);
            rounds = Int(options.Rounds, 3, 1);
            device = result.GetValue(options.Device) ?? "cpu";
            python = result.GetValue(options.Python) ?? "/usr/bin/python3";
            pytorch = !result.GetValue(options.NoPyTorch);
        }
        catch (FormatException e)
        {
            stderr.WriteLine($"bench: {e.Message}");
            return 2;
        }

        TorchRuntime.Configure(CommandSettings.Load().Torch);
        var ours = new List<TrainingBenchmarkResult>();
        var theirs = new List<(double Teacher, double Student, string Version, int Threads)>();
        for (int round = 1; round <= rounds; round++)
        {
            stderr.WriteLine($"bench: round {round} of {rounds}");
            ours.Add(TrainingBenchmark.Run(TorchRuntime.ResolveDevice(device), imageSize, batchSize, images, steps));
            if (!pytorch || ours[^1].Device != "cpu") continue;
            var reference = RunPyTorch(python, ours[^1], steps, stderr);
            if (reference is not { } r) return 1;
            theirs.Add((r.GetProperty("teacherImagesPerSecond").GetDouble(), r.GetProperty("studentImagesPerSecond").GetDouble(),
                r.GetProperty("torchVersion").GetString() ?? "?", r.GetProperty("threads").GetInt32()));
        }

        var first = ours[0];
        double teacherCompute = Median(ours, x => x.TeacherComputeImagesPerSecond), studentCompute = Median(ours, x => x.StudentComputeImagesPerSecond);
        double teacherEpoch = Median(ours, x => x.TeacherEpochImagesPerSecond), studentEpoch = Median(ours, x => x.StudentEpochImagesPerSecond);
        stdout.WriteLine($"DistillLab (TorchSharp) on {first.Device}, {first.Threads} threads, {first.ImageSize} px, batch {first.BatchSize}, {Environment.ProcessorCount} cores; median of {rounds} rounds");
        stdout.WriteLine("| model | bare train steps (img/s) | epoch through pipeline (img/s) | epoch time over bare steps |");
        stdout.WriteLine("| --- | --- | --- | --- |");
        stdout.WriteLine($"| teacher | {teacherCompute:F0} | {teacherEpoch:F0} | {teacherCompute / teacherEpoch - 1:+0.0%;-0.0%;0.0%} |");
        stdout.WriteLine($"| student | {studentCompute:F0} | {studentEpoch:F0} | {studentCompute / studentEpoch - 1:+0.0%;-0.0%;0.0%} |");
        double distilled = Median(ours, x => x.DistilledEpochImagesPerSecond), uncached = Median(ours, x => x.DistilledUncachedEpochImagesPerSecond);
        stdout.WriteLine("| student epoch | img/s | time over a scratch epoch |");
        stdout.WriteLine("| --- | --- | --- |");
        stdout.WriteLine($"| from scratch | {studentEpoch:F0} | 1.00x |");
        stdout.WriteLine($"| distilled, teacher logits cached | {distilled:F0} | {Median(ours, x => x.DistilledOverScratch):F2}x |");
        stdout.WriteLine($"| distilled, teacher run per batch | {uncached:F0} | {Median(ours, x => x.UncachedDistilledOverScratch):F2}x |");
        stdout.WriteLine($"data pipeline alone (batches from the in-memory decode cache, shuffled): {Median(ours, x => x.PipelineImagesPerSecond):F0} img/s");
        if (theirs.Count > 0)
        {
            double teacher = Median(theirs, x => x.Teacher), student = Median(theirs, x => x.Student);
            stdout.WriteLine($"PyTorch {theirs[0].Version} ({python}), {theirs[0].Threads} threads, same models and steps; median of {theirs.Count} rounds:");
            stdout.WriteLine("| model | PyTorch (img/s) | DistillLab (img/s) | DistillLab / PyTorch |");
            stdout.WriteLine("| --- | --- | --- | --- |");
            stdout.WriteLine($"| teacher | {teacher:F0} | {teacherCompute:F0} | {teacherCompute / teacher:F2}x |");
            stdout.WriteLine($"| student | {student:F0} | {studentCompute:F0} | {studentCompute / student:F2}x |");
        }
        return 0;
    }

    private static double Median<T>(IEnumerable<T> items, Func<T, double> value)
    {
        var sorted = items.Select(value).Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static JsonElement? RunPyTorch(string python, TrainingBenchmarkResult r, int steps, TextWriter stderr)
    {
        var script = Path.Combine(AppContext.BaseDirectory, "pytorch_reference.py");
        var start = new ProcessStartInfo(python, [script, $"{r.ImageSize}", $"{r.BatchSize}", $"{steps}", $"{r.Threads}"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        try
        {
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEnd();
            var errors = process.StandardError.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0)
            {
                stderr.WriteLine($"bench: the PyTorch reference failed (is python3-torch installed for {python}? use --no-pytorch to skip):\n{errors}");
                return null;
            }
            return JsonDocument.Parse(output.Trim().Split('\n')[^1]).RootElement.Clone();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            stderr.WriteLine($"bench: could not start '{python}': {e.Message}. Use --python PATH or --no-pytorch.");
            return null;
        }
    }
}
