using System.Globalization;
using System.Text;
using DistillLab.Web.Training;

namespace DistillLab.Web.Api;

/// <summary>Runs as CSV: one row per model and epoch, with the run's settings and the model's test results repeated.
/// Name and notes come last, so readers that go by column position keep working.</summary>
public static class RunCsv
{
    private const string Header = "runId,status,data,imageSize,alpha,temperature,scaleByTemperatureSquared,teacherEpochs,studentEpochs,batchSize,learningRate,seed,model,parameters,testAccuracy,testLoss,epoch,trainAccuracy,trainLoss,valAccuracy,valLoss,seconds,imagesPerSecond,studentLoss,distillationLoss,name,notes";

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
                string label = Join(Quote(run.Name ?? ""), Quote(run.Notes ?? ""));
                if (model.History.Count == 0) csv.Append(prefix).Append(",,,,,,,,,,").Append(label).Append('\n');
                foreach (var e in model.History)
                    csv.Append(prefix).Append(',').Append(Join(N(e.Epoch), N(e.TrainAccuracy), N(e.TrainLoss), N(e.ValAccuracy), N(e.ValLoss),
                        N(e.Seconds), N(e.ImagesPerSecond), N(e.StudentLoss), N(e.DistillationLoss), label)).Append('\n');
            }
        return csv.ToString();
    }

    private static string Join(params string[] values) => string.Join(',', values);
    private static string N(double? v) => v is { } x ? x.ToString("R", CultureInfo.InvariantCulture) : "";
    private static string N(long? v) => v?.ToString(CultureInfo.InvariantCulture) ?? "";
    private static string N(int? v) => v?.ToString(CultureInfo.InvariantCulture) ?? "";
    // RFC 4180: a field with a comma, quote or line break is quoted (notes may span lines).
    private static string Quote(string s) => s.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? $"\"{s.Replace("\"", "\"\"")}\"" : s;
}
