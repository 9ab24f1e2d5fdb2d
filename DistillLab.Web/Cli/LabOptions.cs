using System.Globalization;
using DistillLab.Core.Experiments;

namespace DistillLab.Web.Cli;

/// <summary>The `lab` command's options, parsed strictly: an unknown option or a malformed value is an error, never ignored.</summary>
public sealed record LabOptions(LabConfig Config, string? SaveTeacherPath, string? OutPath, bool Download, bool Help, string? SaveScratchPath = null)
{
    public const string Usage = """
        Usage: dotnet run -c Release --project DistillLab.Web -- lab [options]

        Runs the whole lab (teacher -> student from scratch -> distilled student -> test all three) and exits.

          --data SOURCE          synthetic (default) | folder:<path> | idx:<dir> | petimages[:<folder>]
          --download             with --data petimages: download Cats vs Dogs (787 MB) first if it is missing
          --image-size N         square input size, 46-512 (default: 64 on CPU, 224 on CUDA)
          --limit N              keep only the first N usable images of the pool (>= 10)
          --teacher-epochs N     teacher epochs (default 8; 0 only with --teacher)
          --student-epochs N     epochs for each student (default 5)
          --alpha X              weight of the hard-label loss, 0-1 (default 0.05)
          --temperature X        softmax temperature, > 0 (default 5)
          --t2                   scale the distillation term by T^2 (off in the reference lab)
          --batch-size N         (default 32)
          --lr X                 Adam learning rate (default 0.001)
          --seed N               (default 42)
          --device D             auto (default) | cpu | cuda
          --resize M             lab (tf.image.resize's bilinear; default for petimages) | smooth (antialiased;
                                 default for folder and idx sources)
          --split S              seeded (default: shuffled with --seed, 80/10/10) | tfds (the reference lab's own
                                 split of the photos, TFDS's record order; --data petimages, no --limit)
          --teacher PATH         reuse a saved teacher instead of training one; it must have been trained on this
                                 run's training split (same data source and files, limit, seed, resize)
          --save-teacher PATH    save the trained teacher
          --scratch PATH         reuse a saved scratch student (trained with the same data, image size, limit,
                                 seed, student epochs, batch size, lr and device) instead of training one
          --save-scratch PATH    save the scratch student
          --allow-foreign-teacher  use a --teacher or --scratch trained on another split anyway (it may have seen this
                                 run's test images); the summary and the --out report then say so
          --out FILE             write the results as JSON
          --help                 show this text

        Exit codes: 0 success, 2 invalid arguments, 1 the run failed.
        """;

    /// <summary>Parses the arguments; on failure returns null and a message naming the option and what it allows.</summary>
    public static LabOptions? Parse(IReadOnlyList<string> args, out string? error)
    {
        var config = new LabConfig();
        string? saveTeacher = null, saveScratch = null, outPath = null;
        bool download = false, help = false;
        error = null;
        for (int i = 0; i < args.Count; i++)
        {
            string option = args[i];
            string Value()
            {
                if (i + 1 >= args.Count || args[i + 1].StartsWith("--", StringComparison.Ordinal))
                    throw new FormatException($"{option} needs a value.");
                return args[++i];
            }
            try
            {
                switch (option)
                {
                    case "--help" or "-h": help = true; break;
                    case "--data": config = config with { Data = Value() }; break;
                    case "--download": download = true; break;
                    case "--image-size": config = config with { ImageSize = Int(option, Value()) }; break;
                    case "--limit": config = config with { Limit = Int(option, Value()) }; break;
                    case "--teacher-epochs": config = config with { TeacherEpochs = Int(option, Value()) }; break;
                    case "--student-epochs": config = config with { StudentEpochs = Int(option, Value()) }; break;
                    case "--alpha": config = config with { Alpha = Number(option, Value()) }; break;
                    case "--temperature": config = config with { Temperature = Number(option, Value()) }; break;
                    case "--t2": config = config with { ScaleByTemperatureSquared = true }; break;
                    case "--batch-size": config = config with { BatchSize = Int(option, Value()) }; break;
                    case "--lr": config = config with { LearningRate = Number(option, Value()) }; break;
                    case "--seed": config = config with { Seed = Int(option, Value()) }; break;
                    case "--device": config = config with { Device = Value() }; break;
                    case "--resize": config = config with { Resize = Value() }; break;
                    case "--split": config = config with { Split = Value() }; break;
                    case "--teacher": config = config with { TeacherPath = Value() }; break;
                    case "--save-teacher": saveTeacher = Value(); break;
                    case "--scratch": config = config with { ScratchPath = Value() }; break;
                    case "--save-scratch": saveScratch = Value(); break;
                    case "--allow-foreign-teacher": config = config with { AllowForeignTeacher = true }; break;
                    case "--out": outPath = Value(); break;
                    default:
                        error = $"Unknown option '{Core.Quote.Short(option)}'. Run 'lab --help' for the list of options.";
                        return null;
                }
            }
            catch (FormatException e)
            {
                error = e.Message;
                return null;
            }
        }
        if (help) return new LabOptions(config, saveTeacher, outPath, download, Help: true, saveScratch);

        var problems = config.Validate();
        if (problems.Count > 0)
        {
            error = string.Join(Environment.NewLine, problems.Select(p => $"{OptionName(p.Field)} {p.Message}"));
            return null;
        }
        if (download && !config.Data.StartsWith("petimages", StringComparison.Ordinal))
        {
            error = "--download only applies to --data petimages[:<folder>].";
            return null;
        }
        if (outPath is not null && Directory.Exists(outPath))
        {
            error = $"--out '{outPath}' is a folder; give a file name such as results.json.";
            return null;
        }
        return new LabOptions(config, saveTeacher, outPath, download, Help: false, saveScratch);
    }

    /// <summary>The command-line spelling of a LabConfig field, so messages name what the user typed.</summary>
    public static string OptionName(string field) => field switch
    {
        "imageSize" => "--image-size",
        "teacherEpochs" => "--teacher-epochs",
        "studentEpochs" => "--student-epochs",
        "batchSize" => "--batch-size",
        "learningRate" => "--lr",
        "teacherPath" => "--teacher",
        "scratchPath" => "--scratch",
        "scaleByTemperatureSquared" => "--t2",
        "allowForeignTeacher" => "--allow-foreign-teacher",
        _ => "--" + field,
    };

    private static int Int(string option, string text) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
            ? value : throw new FormatException($"{option} must be a whole number; got '{Core.Quote.Short(text)}'.");

    private static double Number(string option, string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value)
            ? value : throw new FormatException($"{option} must be a number (e.g. 0.5); got '{Core.Quote.Short(text)}'.");
}
