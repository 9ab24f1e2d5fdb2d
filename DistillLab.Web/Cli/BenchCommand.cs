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
    public const string Usage = """
        Usage: dotnet run -c Release --project DistillLab.Web -- bench [--image-size 64] [--batch-size 32]
               [--images 1600] [--steps 40] [--rounds 3] [--device cpu] [--python /usr/bin/python3] [--no-pytorch]

        Measures, in one run on this machine: training images/s of the teacher and the student
        (bare Adam steps, then a real epoch through the data pipeline), the pipeline alone, and
        the same models in PyTorch (bench/pytorch_reference.py) with the same thread count.
        Each round measures everything once, in turn; the tables show the median of the rounds,
        so a burst of load on a shared machine hits both sides of a ratio alike.
        """;

    public static int Run(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr)
    {
        int imageSize = 64, batchSize = 32, images = 1600, steps = 40, rounds = 3;
        string device = "cpu", python = "/usr/bin/python3";
        bool pytorch = true;
        try
        {
            for (int i = 0; i < args.Count; i++)
            {
                string Next() => i + 1 < args.Count ? args[++i] : throw new FormatException($"{args[i]} needs a value.");
                int Int(string name, int min) => int.TryParse(Next(), CultureInfo.InvariantCulture, out var v) && v >= min
                    ? v : throw new FormatException($"{name} must be a whole number >= {min}.");
                switch (args[i])
                {
                    case "--image-size": imageSize = Int("--image-size", 46); break;
                    case "--batch-size": batchSize = Int("--batch-size", 1); break;
                    case "--images": images = Int("--images", 1); break;
                    case "--steps": steps = Int("--steps", 1); break;
                    case "--rounds": rounds = Int("--rounds", 1); break;
                    case "--device": device = Next(); break;
                    case "--python": python = Next(); break;
                    case "--no-pytorch": pytorch = false; break;
                    case "--help": stdout.WriteLine(Usage); return 0;
                    default: throw new FormatException($"Unknown option '{args[i]}'. Run 'bench --help'.");
                }
            }
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
        stdout.WriteLine($"| teacher | {teacherCompute:F0} | {teacherEpoch:F0} | {teacherCompute / teacherEpoch - 1:+0.0%;-0.0%} |");
        stdout.WriteLine($"| student | {studentCompute:F0} | {studentEpoch:F0} | {studentCompute / studentEpoch - 1:+0.0%;-0.0%} |");
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
