namespace DistillLab.Core;

/// <summary>Something that happened during a lab run; the experiment reports these through one callback.</summary>
public abstract record LabEvent;
