using System.Globalization;
using System.Text;
using DistillLab.Web.Training;

namespace DistillLab.Web.Api;

/// <summary>Runs as CSV: one row per model and epoch, with the run's settings and the model's test results repeated.</summary>
public static class RunCsv
{
    private const string Header = "runId,status,data,imageSize,alpha,temperature,scaleByTemperatureSquared,teacherEpochs,studentEpochs,batchSize,learningRate,seed,model,parameters,testAccuracy,testLoss,epoch,trainAccuracy,trainLoss,valAccuracy,valLoss,seconds,imagesPerSecond,studentLoss,distillationLoss";

    public static string Write(IEnumerable<RunDetails> runs)
    {
        var csv = new StringBuilder(Header).Append('\n');
        foreach (var run in runs)
            foreach (var role in ModelRoles.All)
            {
                var model = run.Model(role);
                var c = run.Config;
                string prefix = Join(run.Id, run.Status.ToString().ToLowerInvariant(), Quote(c.Data), N(run.ImageSize ?? c.ImageSize), N(c.Alpha), N(c.Temperature),
                    c.ScaleByTemperatureSquared ? "true" : "false", N(c.TeacherEpochs), N(c.StudentEpochs), N(c.BatchSize), N(c.LearningRate), N(c.Seed),
                    ModelRoles.Key(role), N(model.Parameters), N(model.TestAccuracy), N(model.TestLoss));
                if (model.History.Count == 0) csv.Append(prefix).Append(",,,,,,,,,").Append('\n');
                foreach (var e in model.History)
                    csv.Append(prefix).Append(',').Append(Join(N(e.Epoch), N(e.TrainAccuracy), N(e.TrainLoss), N(e.ValAccuracy), N(e.ValLoss),
                        N(e.Seconds), N(e.ImagesPerSecond), N(e.StudentLoss), N(e.DistillationLoss))).Append('\n');
            }
        return csv.ToString();
    }

    private static string Join(params string[] values) => string.Join(',', values);
    private static string N(double? v) => v is { } x ? x.ToString("R", CultureInfo.InvariantCulture) : "";
    private static string N(long? v) => v?.ToString(CultureInfo.InvariantCulture) ?? "";
    private static string N(int? v) => v?.ToString(CultureInfo.InvariantCulture) ?? "";
    private static string Quote(string s) => s.Contains(',') || s.Contains('"') ? $"\"{s.Replace("\"", "\"\"")}\"" : s;
}
