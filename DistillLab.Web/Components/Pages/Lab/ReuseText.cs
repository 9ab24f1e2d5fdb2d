using DistillLab.Web.Runs;

namespace DistillLab.Web.Components.Pages.Lab;

/// <summary>One sentence on which of a run's models were reused and from which runs.</summary>
public static class ReuseText
{
    public static string? Describe(RunDetails run)
    {
        string? teacher = run.Teacher.ReusedFrom ?? run.TeacherReusedFrom, scratch = run.StudentScratch.ReusedFrom;
        return (teacher, scratch) switch
        {
            (null, null) => null,
            // A study's kept teacher is named "<study id>/seed-<N>" (StudyTeachers.SourceId).
            ({ } t, null) when t.Split("/seed-") is [var study, var seed] => $"Teacher reused from study {study} (seed {seed})",
            ({ } t, null) => $"Teacher reused from run {t}",
            (null, { } s) => $"Scratch student reused from run {s}",
            ({ } t, { } s) when t == s => $"Teacher and scratch student reused from run {t}",
            ({ } t, { } s) => $"Teacher reused from run {t}, scratch student from run {s}",
        };
    }
}
