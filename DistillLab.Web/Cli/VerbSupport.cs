using System.CommandLine;
using DistillLab.Core.Training;

namespace DistillLab.Web.Cli;

/// <summary>What the `lab` and `study` verbs do alike: help text, naming a bad option, the --export folder, and which
/// failures end a command with a message (exit 1) rather than a stack trace.</summary>
internal static class VerbSupport
{
    /// <summary>The verb's help text, from its options.</summary>
    public static string Usage(RootCommand root, string verb)
    {
        var output = new StringWriter();
        root.Parse([verb, "--help"]).Invoke(new InvocationConfiguration { Output = output });
        return output.ToString();
    }

    /// <summary>The first problem System.CommandLine found, said our way (naming the option and where help is), or null.</summary>
    public static string? ParseError(ParseResult result, IEnumerable<Option> options, string verb)
    {
        if (result.UnmatchedTokens.FirstOrDefault() is { } unknown)
            return $"Unknown option '{Core.Quote.Short(unknown)}'. Run '{verb} --help' for the list of options.";
        if (result.Errors.FirstOrDefault() is not { } parseError)
            return null;
        // "--seed" without a value, mostly; System.CommandLine says it its own way, we name the option and the fix.
        var named = options.FirstOrDefault(o => parseError.Message.Contains($"'{o.Name}'", StringComparison.Ordinal));
        return named is not null ? $"{named.Name} needs a value. Run '{verb} --help' for what it allows." : parseError.Message;
    }

    /// <summary>Creates the --export folder before training, so a folder that cannot be made fails in a second, not
    /// after the run or study.</summary>
    public static bool CreateExportFolder(string verb, string folder, TextWriter stderr)
    {
        try
        {
            Directory.CreateDirectory(folder);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"{verb}: --export cannot create the folder '{folder}': {e.Message}");
            return false;
        }
    }

    /// <summary>Failures whose message says what went wrong (a diverged loss, a bad file, a refused setting).</summary>
    public static bool IsReported(Exception e) => e is TrainingDivergedException or InvalidOperationException or IOException
        or InvalidDataException or UnauthorizedAccessException or ArgumentException;
}
