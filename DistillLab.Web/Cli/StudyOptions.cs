using System.CommandLine;
using System.Globalization;
using System.Reflection;
using DistillLab.Core.Experiments;
using DistillLab.Core.Studies;

namespace DistillLab.Web.Cli;

/// <summary>The `study` command's options: every `lab` option (from LabConfig's [Setting]s), with --alpha, --temperature
/// and --t2 taking the space's forms instead of one value, plus the study's own. Parsed strictly, as `lab`'s.</summary>
public sealed record StudyOptions(StudyConfig Config, string? OutPath, string? WorkFolder, bool Help, string? ExportDirectory = null)
{
    /// <summary>The lab settings a study replaces with its space.</summary>
    private static readonly string[] Replaced = [nameof(LabConfig.Alpha), nameof(LabConfig.Temperature), nameof(LabConfig.ScaleByTemperatureSquared)];

    private sealed class Command
    {
        public RootCommand Root { get; } = new("DistillLab");
        public System.CommandLine.Command Study { get; } = new("study", "Sweeps α × T (× T²) over several seeds: per seed one " +
            "teacher and one scratch student, a distilled student per setting; chooses the best setting on validation and " +
            "confirms it on test (docs/studies.md). Exit codes: 0 success, 2 invalid arguments, 1 the study failed.");
        public Dictionary<PropertyInfo, Option> ForSetting { get; } = [];
        public Option<string> Alpha { get; } = Text("--alpha", "α values: a list (0.05,0.5,0.9) or a range min:max:count[:log] (default 0.05,0.5,0.9)", "LIST");
        public Option<string> Temperature { get; } = Text("--temperature", "T values: a list (1,5,10) or a range min:max:count[:log] (default 1,5,10)", "LIST");
        public Option<string> T2 { get; } = Text("--t2", "scale the distillation term by T²: off (default) | on | both", "off|on|both");
        public Option<string> Seeds { get; } = Text("--seeds", "how many seeds: --seed, --seed + 1, … (default 3, at least 2)", "N");
        public Option<string> Sampler { get; } = Text("--sampler", "grid (default: every setting) | random (--trials settings drawn from the grid)", "grid|random");
        public Option<string> Trials { get; } = Text("--trials", "with --sampler random: how many settings to draw (each runs on every seed)", "N");
        public Option<string> SamplerSeed { get; } = Text("--sampler-seed", "the random sampler's seed (default --seed)", "N");
        public Option<string> Pruning { get; } = Text("--pruning", "none (default) | halving (stop weak trials after epoch 1, 3, 9, …)", "none|halving");
        public Option<string> Out { get; } = Text("--out", "write the study's results as JSON", "FILE");
        public Option<string> Export { get; } = Text("--export", "write the best setting's distilled students, one per seed, as best-seed<N>.onnx and .safetensors into this folder (created if missing)", "DIR");
        public Option<string> Work { get; } = Text("--work", "keep teachers, students and finished results here; the same command run again resumes", "FOLDER");

        public IEnumerable<Option> Own => [Alpha, Temperature, T2, Seeds, Sampler, Trials, SamplerSeed, Pruning, Out, Export, Work];

        public Command()
        {
            foreach (var (property, setting) in LabOptions.Settings.Where(s => !Replaced.Contains(s.Property.Name)))
            {
                Option option = property.PropertyType == typeof(bool)
                    ? new Option<bool>("--" + setting.Name) { Description = setting.Help }
                    : new Option<string>("--" + setting.Name) { Description = setting.Help, HelpName = LabOptions.Command.HelpName(property) };
                ForSetting[property] = option;
                Study.Options.Add(option);
            }
            foreach (var option in Own) Study.Options.Add(option);
            Root.Subcommands.Add(Study);
        }

        private static Option<string> Text(string name, string help, string helpName) => new(name) { Description = help, HelpName = helpName };
    }

    public static string Usage => VerbSupport.Usage(new Command().Root, "study");

    /// <summary>Parses and validates (<see cref="StudyConfig.Validate"/>); on failure null and a message naming the option.</summary>
    public static StudyOptions? Parse(IReadOnlyList<string> args, out string? error)
    {
        error = null;
        var command = new Command();
        var result = command.Root.Parse(["study", .. args]);
        error = VerbSupport.ParseError(result, command.ForSetting.Values.Concat(command.Own), "study");
        if (error is not null) return null;
        if (result.Action is System.CommandLine.Help.HelpAction)
            return new StudyOptions(new StudyConfig(), null, null, Help: true);

        var config = new StudyConfig();
        try
        {
            var lab = new LabConfig();
            foreach (var (property, option) in command.ForSetting)
            {
                object? value = option is Option<bool> flag ? (result.GetValue(flag) ? true : null)
                    : LabOptions.Convert(option.Name, property, result.GetValue((Option<string>)option));
                if (value is not null) lab = LabOptions.With(lab, property, value);
            }
            config = config with
            {
                Base = lab,
                Alpha = Values(command.Alpha, result.GetValue(command.Alpha)) ?? config.Alpha,
                Temperature = Values(command.Temperature, result.GetValue(command.Temperature)) ?? config.Temperature,
                T2 = result.GetValue(command.T2) ?? config.T2,
                Seeds = Int(command.Seeds, result.GetValue(command.Seeds)) ?? config.Seeds,
                Sampler = result.GetValue(command.Sampler) ?? config.Sampler,
                Trials = Int(command.Trials, result.GetValue(command.Trials)),
                SamplerSeed = Int(command.SamplerSeed, result.GetValue(command.SamplerSeed)),
                Pruning = result.GetValue(command.Pruning) ?? config.Pruning,
            };
        }
        catch (FormatException e)
        {
            error = e.Message;
            return null;
        }

        var problems = config.Validate();
        if (problems.Count > 0)
        {
            error = string.Join(Environment.NewLine, problems.Select(p => $"{OptionName(p.Field)} {p.Message}"));
            return null;
        }
        string? outPath = result.GetValue(command.Out);
        if (outPath is not null && Directory.Exists(outPath))
        {
            error = $"--out '{outPath}' is a folder; give a file name such as study.json.";
            return null;
        }
        string? exportDirectory = result.GetValue(command.Export);
        if (exportDirectory is not null && File.Exists(exportDirectory))
        {
            error = $"--export '{exportDirectory}' is a file; give a folder (it is created if missing) for best-seed<N>.onnx and best-seed<N>.safetensors.";
            return null;
        }
        return new StudyOptions(config, outPath, result.GetValue(command.Work), Help: false, exportDirectory);
    }

    /// <summary>The option a study error's field stands for.</summary>
    public static string OptionName(string field) => field switch
    {
        "space" => "the space (--alpha × --temperature × --t2 × --seeds, or --trials × --seeds)",
        "samplerSeed" => "--sampler-seed",
        "t2" or "seeds" or "sampler" or "trials" or "pruning" or "alpha" or "temperature" => "--" + field,
        _ => LabOptions.OptionName(field),
    };

    private static StudyValues? Values(Option option, string? text)
    {
        if (text is null) return null;
        return StudyValues.TryParse(text, out var values, out var error) ? values : throw new FormatException($"{option.Name} takes {error}");
    }

    private static int? Int(Option option, string? text) => text is null ? null
        : int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
            ? value : throw new FormatException($"{option.Name} must be a whole number; got '{DistillLab.Core.Quote.Short(text)}'.");
}
