using DistillLab.Core.Experiments;

namespace DistillLab.Web.Runs;

/// <summary>A run's name and notes: the one check the Runs page, PATCH /api/runs/{id} and POST /api/runs share.</summary>
public static class RunLabel
{
    public const int MaxNameLength = 80;
    public const int MaxNotesLength = 2000;

    /// <summary>Trimmed text, or null for nothing but white space (which clears the field).</summary>
    public static string? Normalize(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    /// <summary>Every problem with a (normalized) name and notes; empty when both may be stored.</summary>
    public static IReadOnlyList<ConfigError> Validate(string? name, string? notes)
    {
        var errors = new List<ConfigError>();
        if (name is not null)
        {
            if (Length(name) > MaxNameLength)
                errors.Add(new("name", $"must be at most {MaxNameLength} characters; got {Length(name)}."));
            else if (name.Any(char.IsControl))
                errors.Add(new("name", "must not contain control characters (line breaks, tabs and the like)."));
        }
        if (notes is not null)
        {
            if (Length(notes) > MaxNotesLength)
                errors.Add(new("notes", $"must be at most {MaxNotesLength} characters; got {Length(notes)}."));
            // Notes may span lines; any other control character is refused.
            else if (notes.Any(c => char.IsControl(c) && c is not ('\n' or '\r' or '\t')))
                errors.Add(new("notes", "must not contain control characters other than line breaks and tabs."));
        }
        return errors;
    }

    // Characters as a person counts them: an emoji is one, not two UTF-16 units.
    private static int Length(string text) => text.EnumerateRunes().Count();
}
