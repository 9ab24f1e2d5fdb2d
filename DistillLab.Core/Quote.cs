namespace DistillLab.Core;

/// <summary>Echoes user input in error messages without letting it take over the message: a 5 MB field
/// must not come back as a 5 MB answer, and control characters must not reach a terminal or a log as they are.</summary>
public static class Quote
{
    public const int MaxLength = 64;

    /// <summary>The text itself when short; else its first <see cref="MaxLength"/> characters, an ellipsis and its length.</summary>
    public static string Short(string? text)
    {
        if (text is null) return "";
        string shown = text.Length <= MaxLength ? text : text[..MaxLength];
        shown = string.Concat(shown.Select(c => char.IsControl(c) ? '?' : c));
        return text.Length <= MaxLength ? shown : $"{shown}… ({text.Length:N0} characters)";
    }
}
