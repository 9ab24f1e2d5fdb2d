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
               [--images 1600] [--steps 20] [--device cpu] [--python /usr/bin/python3] [--no-pytorch]

        Measures, in one run on this machine: training images/s of the teacher and the student
        (bare Adam steps, then a real epoch through the data pipeline), the pipeline alone, and
        the same models in PyTorch (bench/pytorch_reference.py) with the same thread count.
        """;

    public static int Run(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr)
    {
        int imageSize = 64, batchSize = 32, images = 1600, steps = 20;
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
        var r = TrainingBenchmark.Run(TorchRuntime.ResolveDevice(device), imageSize, batchSize, images, steps);
        stdout.WriteLine($"DistillLab (TorchSharp) on {r.Device}, {r.Threads} threads, {r.ImageSize} px, batch {r.BatchSize}, {Environment.ProcessorCount} cores");
        stdout.WriteLine($"| model | bare train steps (img/s) | epoch through pipeline (img/s) | pipeline overhead |");
        stdout.WriteLine($"| --- | --- | --- | --- |");
        stdout.WriteLine($"| teacher | {r.TeacherComputeImagesPerSecond:F0} | {r.TeacherEpochImagesPerSecond:F0} | {r.TeacherEpochOverhead:+0.0%;-0.0%} |");
        stdout.WriteLine($"| student | {r.StudentComputeImagesPerSecond:F0} | {r.StudentEpochImagesPerSecond:F0} | {r.StudentEpochOverhead:+0.0%;-0.0%} |");
        stdout.WriteLine($"data pipeline alone (batches from the in-memory decode cache, shuffled): {r.PipelineImagesPerSecond:F0} img/s");

        if (pytorch && r.Device == "cpu")
        {
            var reference = RunPyTorch(python, r, steps, stderr);
            if (reference is null) return 1;
            double teacher = reference.Value.GetProperty("teacherImagesPerSecond").GetDouble();
            double student = reference.Value.GetProperty("studentImagesPerSecond").GetDouble();
            stdout.WriteLine($"PyTorch {reference.Value.GetProperty("torchVersion").GetString()} ({python}), {reference.Value.GetProperty("threads").GetInt32()} threads, same models and steps:");
            stdout.WriteLine($"| model | PyTorch (img/s) | DistillLab (img/s) | DistillLab / PyTorch |");
            stdout.WriteLine($"| --- | --- | --- | --- |");
            stdout.WriteLine($"| teacher | {teacher:F0} | {r.TeacherComputeImagesPerSecond:F0} | {r.TeacherComputeImagesPerSecond / teacher:F2}x |");
            stdout.WriteLine($"| student | {student:F0} | {r.StudentComputeImagesPerSecond:F0} | {r.StudentComputeImagesPerSecond / student:F2}x |");
        }
        return 0;
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
