using System.Diagnostics;
using DistillLab.Core.Runtime;
using DistillLab.Core.Data;
using DistillLab.Core.Data.Synthetic;
using DistillLab.Core.Models;
using DistillLab.Core.Training;
using TorchSharp;

/// <summary>The lab's three models on the synthetic set as the data loader splits it, on validation only: how the teacher's accuracy grows epoch by epoch, and distilled minus scratch for a few (alpha, T).</summary>
/// <remarks>For docs/synthetic-data.md's choice of the set. Never reads the test split.</remarks>
static class SetProbe
{
    public static void Run(IEnumerable<int> seeds, int count, int threads, bool teacherOnly)
    {
        TorchRuntime.Configure(new TorchSettings("cpu", null, threads));
        var device = torch.CPU;
        (double Alpha, double T)[] settings = [(0.05, 1), (0.05, 5), (0.5, 1)];
        foreach (int seed in seeds)
        {
            var clock = Stopwatch.StartNew();
            // DATA_SEED=n draws and splits the pictures as a study with base seed n does for all its seeds.
            int dataSeed = Environment.GetEnvironmentVariable("DATA_SEED") is { } d ? int.Parse(d) : seed;
            var pool = SyntheticCatsDogs.Generate(count, 64, dataSeed);
            var (train, validation, _) = SyntheticCatsDogs.Split(pool, dataSeed);
            var trainer = new Trainer(device, _ => { }, CancellationToken.None);
            var options = new TrainingOptions(8, 32, 0.001, seed);
            var studentOptions = options with { Epochs = 5 };
            var studentSpec = new ModelSpec(ModelKind.Student, 64, 3, 2);

            torch.manual_seed(seed);
            using var teacher = new TeacherNet(new ModelSpec(ModelKind.Teacher, 64, 3, 2));
            var teacherHistory = trainer.Fit(teacher, ModelRole.Teacher, train, validation, options);
            string teacherLine = $"seed {seed}, {train.Count}/{validation.Count} of {count}: teacher val by epoch " +
                                 $"[{string.Join(" ", teacherHistory.Select(h => $"{h.ValAccuracy * 100:0}"))}]";
            if (teacherOnly)
            {
                Console.WriteLine($"{teacherLine} ({clock.Elapsed.TotalSeconds:0} s)");
                continue;
            }
            torch.manual_seed(seed);
            using var scratch = new StudentNet(studentSpec);
            double scratchVal = trainer.Fit(scratch, ModelRole.StudentScratch, train, validation, studentOptions)[^1].ValAccuracy;
            using var logits = TeacherLogits.Compute(teacher, train, 32, device, CancellationToken.None);
            var deltas = new List<string>();
            foreach (var (alpha, t) in settings)
            {
                torch.manual_seed(seed);
                using var student = new StudentNet(studentSpec);
                var distiller = new Distiller(logits, student, alpha, t);
                double val = trainer.Fit(student, ModelRole.StudentDistilled, train, validation, studentOptions, distiller.Step)[^1].ValAccuracy;
                deltas.Add($"a{alpha}/T{t} {(val - scratchVal) * 100:+0.0;-0.0;0.0}");
            }
            Console.WriteLine($"{teacherLine}, scratch val {scratchVal * 100:0.0}; distilled - scratch: {string.Join(", ", deltas)} ({clock.Elapsed.TotalSeconds:0} s)");
        }
    }
}
