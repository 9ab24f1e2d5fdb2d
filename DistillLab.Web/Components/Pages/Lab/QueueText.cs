namespace DistillLab.Web.Components.Pages.Lab;

/// <summary>Words for a run's place in line ("2nd in line"), shared by the form's message, the status panel and the queue.</summary>
public static class QueueText
{
    public static string Ordinal(int n) => (n % 100) switch
    {
        11 or 12 or 13 => $"{n}th",
        _ => (n % 10) switch { 1 => $"{n}st", 2 => $"{n}nd", 3 => $"{n}rd", _ => $"{n}th" },
    };

    public static string InLine(int place) => $"{Ordinal(place)} in line";
}
