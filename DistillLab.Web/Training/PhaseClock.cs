using System.Diagnostics;

namespace DistillLab.Web.Training;

/// <summary>The training thread's clock for one phase: limits batch progress to a few events per second and estimates the phase's time left.</summary>
internal sealed class PhaseClock(double perSecond)
{
    private readonly long minTicks = (long)(Stopwatch.Frequency / perSecond);
    private long last = -1;
    private long phaseStart;
    private int phaseBatches;

    public void StartPhase(int totalBatches)
    {
        phaseStart = Stopwatch.GetTimestamp();
        phaseBatches = totalBatches;
    }

    public bool Allow()
    {
        long now = Stopwatch.GetTimestamp();
        if (last >= 0 && now - last < minTicks) return false;
        last = now;
        return true;
    }

    public double? SecondsLeft(int batchesDone)
    {
        if (batchesDone <= 0 || phaseBatches <= 0) return null;
        double elapsed = Stopwatch.GetElapsedTime(phaseStart).TotalSeconds;
        return elapsed / batchesDone * Math.Max(0, phaseBatches - batchesDone);
    }
}
