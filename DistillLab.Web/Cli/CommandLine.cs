namespace DistillLab.Web.Cli;

/// <summary>What the first word of the command line may be.</summary>
public static class CommandLine
{
    public static readonly IReadOnlyList<string> Verbs = ["lab", "bench", "study", "worker"];

    /// <summary>A message when the first argument is neither a verb, an option ("--urls …") nor a setting
    /// ("Urls=…", which ASP.NET reads as configuration); null when the arguments may start the dashboard.</summary>
    public static string? UnknownVerb(IReadOnlyList<string> args)
    {
        if (args.Count == 0) return null;
        string first = args[0];
        if (first.StartsWith('-') || first.Contains('=') || Verbs.Contains(first)) return null;
        return $"Unknown command '{Core.Quote.Short(first)}'. Commands: {string.Join(", ", Verbs)} (e.g. 'lab --help'); " +
               "with no command the dashboard starts, and takes options such as --urls http://127.0.0.1:5080.";
    }
}
