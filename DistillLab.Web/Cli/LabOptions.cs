using System.CommandLine;
using System.Globalization;
using System.Reflection;
using DistillLab.Core.Experiments;

namespace DistillLab.Web.Cli;

/// <summary>The `lab` command's options, parsed strictly: an unknown option or a malformed value is an error, never ignored.</summary>
public sealed record LabOptions(LabConfig Config, string? SaveTeacherPath, string? OutPath, bool Download, bool Help, string? SaveScratchPath = null,
    string? ExportDirectory = null)
{
    /// <summary>Every LabConfig setting a person may type, with its [Setting] spelling and help.</summary>
    internal static readonly IReadOnlyList<(PropertyInfo Property, SettingAttribute Setting)> Settings =
        typeof(LabConfig).GetProperties()
            .Select(p => (Property: p, Setting: p.GetCustomAttribute<SettingAttribute>()))
            .Where(p => p.Setting is not null).Select(p => (p.Property, p.Setting!)).ToList();

    /// <summary>The command: one option per LabConfig setting, plus what only the command line does.</summary>
    internal sealed class Command
    {
        public RootCommand Root { get; } = new("DistillLab: the dashboard (no command), or the lab headless.");
        // A sub-command, so the help's usage line reads "DistillLab.Web lab [options]" as people type it.
        public System.CommandLine.Command Lab { get; } = new("lab", "Runs the whole lab (teacher -> student from scratch -> " +
            "distilled student -> test all three) and exits. Exit codes: 0 success, 2 invalid arguments, 1 the run failed.");
        public Dictionary<PropertyInfo, Option> ForSetting { get; } = [];
        public Option<bool> Download { get; } = new("--download") { Description = "with --data petimages: download Cats vs Dogs (787 MB) first if it is missing" };
        public Option<string> SaveTeacher { get; } = new("--save-teacher") { Description = "save the trained teacher", HelpName = "PATH" };
        public Option<string> SaveScratch { get; } = new("--save-scratch") { Description = "save the scratch student", HelpName = "PATH" };
        public Option<string> Out { get; } = new("--out") { Description = "write the results as JSON", HelpName = "FILE" };
        public Option<string> Export { get; } = new("--export")
        {
            Description = "write the three trained models as .onnx and .safetensors into this folder (created if missing)",
            HelpName = "DIR",
        };

        public Command()
        {
            foreach (var (property, setting) in Settings)
            {
                // Flags for switches; everything else is read as text and converted here, so a bad value is named our way.
                Option option = property.PropertyType == typeof(bool)
                    ? new Option<bool>("--" + setting.Name) { Description = setting.Help }
                    : new Option<string>("--" + setting.Name) { Description = setting.Help, HelpName = HelpName(property) };
                ForSetting[property] = option;
                Lab.Options.Add(option);
            }
            foreach (var option in new Option[] { Download, SaveTeacher, SaveScratch, Out, Export }) Lab.Options.Add(option);
            Root.Subcommands.Add(Lab);
        }

        internal static string HelpName(PropertyInfo p)
        {
            var type = Nullable.GetUnderlyingType(p.PropertyType) ?? p.PropertyType;
            return type == typeof(int) ? "N" : type == typeof(double) ? "X" : "VALUE";
        }
    }

    /// <summary>The help text, from the options themselves.</summary>
    public static string Usage => VerbSupport.Usage(new Command().Root, "lab");

    /// <summary>Parses the arguments; on failure returns null and a message naming the option and what it allows.</summary>
    public static LabOptions? Parse(IReadOnlyList<string> args, out string? error)
    {
        error = null;
        var command = new Command();
        var result = command.Root.Parse(["lab", .. args]);
        error = VerbSupport.ParseError(result, command.ForSetting.Values.Concat([command.SaveTeacher, command.SaveScratch, command.Out, command.Export]), "lab");
        if (error is not null) return null;
        if (result.Action is System.CommandLine.Help.HelpAction)
            return new LabOptions(new LabConfig(), null, null, false, Help: true);

        var config = new LabConfig();
        try
        {
            foreach (var (property, option) in command.ForSetting)
            {
                object? value = option is Option<bool> flag ? (result.GetValue(flag) ? true : null) : Convert(option.Name, property, result.GetValue((Option<string>)option));
                if (value is not null) config = With(config, property, value);
            }
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
        bool download = result.GetValue(command.Download);
        if (download && !config.Data.StartsWith("petimages", StringComparison.Ordinal))
        {
            error = "--download only applies to --data petimages[:<folder>].";
            return null;
        }
        string? outPath = result.GetValue(command.Out);
        if (outPath is not null && Directory.Exists(outPath))
        {
            error = $"--out '{outPath}' is a folder; give a file name such as results.json.";
            return null;
        }
        string? exportDirectory = result.GetValue(command.Export);
        if (exportDirectory is not null && File.Exists(exportDirectory))
        {
            error = $"--export '{exportDirectory}' is a file; give a folder (it is created if missing) for teacher.onnx, studentScratch.onnx, studentDistilled.onnx and their .safetensors.";
            return null;
        }
        return new LabOptions(config, result.GetValue(command.SaveTeacher), outPath, download, Help: false, result.GetValue(command.SaveScratch), exportDirectory);
    }

    /// <summary>The command-line spelling of a LabConfig field (camelCase, as validation names it), so messages name
    /// what the user typed.</summary>
    public static string OptionName(string field) =>
        Settings.FirstOrDefault(s => string.Equals(s.Property.Name, field, StringComparison.OrdinalIgnoreCase)).Setting is { } setting
            ? "--" + setting.Name : "--" + field;

    internal static object? Convert(string option, PropertyInfo property, string? text)
    {
        if (text is null) return null;
        var type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
        if (type == typeof(int)) return Int(option, text);
        if (type == typeof(double)) return Number(option, text);
        return text;
    }

    // A record's init-only setter, on a copy: `config with { X = value }` for a property chosen at run time.
    internal static LabConfig With(LabConfig config, PropertyInfo property, object value)
    {
        var copy = config with { };
        property.SetValue(copy, value);
        return copy;
    }

    private static int Int(string option, string text) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
            ? value : throw new FormatException($"{option} must be a whole number; got '{Core.Quote.Short(text)}'.");

    private static double Number(string option, string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value)
            ? value : throw new FormatException($"{option} must be a number (e.g. 0.5); got '{Core.Quote.Short(text)}'.");
}
