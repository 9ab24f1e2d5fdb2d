namespace DistillLab.Web.Studies;

/// <summary>The job engine behind <see cref="StudyRequests"/> under `Jobs:Engine=postgres`: a study becomes jobs that
/// any worker may take (Jobs/HangfireStudyJobs). Absent on the embedded engine, where the process's own queue trains
/// a study whole.</summary>
public interface IStudyJobs
{
    /// <summary>Queues the stored study's jobs: per seed a teacher, then its baseline and trials.</summary>
    void Enqueue(StudyDetails study);

    /// <summary>Withdraws every job of the study: waiting ones are never taken, running ones stop within seconds.</summary>
    void Cancel(string studyId);
}
