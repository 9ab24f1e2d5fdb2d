namespace DistillLab.Core.Training;

/// <summary>The three models the lab trains, in the order it trains them.</summary>
public enum ModelRole { Teacher, StudentScratch, StudentDistilled }

/// <summary>The three models by name: in order of training, as people read them, and as JSON keys.</summary>
public static class ModelRoles
{
    public static readonly ModelRole[] All = [ModelRole.Teacher, ModelRole.StudentScratch, ModelRole.StudentDistilled];

    public static string Label(ModelRole role) => role switch
    {
        ModelRole.Teacher => "Teacher",
        ModelRole.StudentScratch => "Student (scratch)",
        _ => "Student (distilled)",
    };

    /// <summary>"Teacher", "Scratch", "Distilled": where the word student goes without saying (legends, columns).</summary>
    public static string ShortLabel(ModelRole role) => role switch
    {
        ModelRole.Teacher => "Teacher",
        ModelRole.StudentScratch => "Scratch",
        _ => "Distilled",
    };

    public static string Key(ModelRole role) => role switch
    {
        ModelRole.Teacher => "teacher",
        ModelRole.StudentScratch => "studentScratch",
        _ => "studentDistilled",
    };
}
