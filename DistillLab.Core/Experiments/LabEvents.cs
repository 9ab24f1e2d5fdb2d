using DistillLab.Core.Data;
using DistillLab.Core.Training;

namespace DistillLab.Core.Experiments;

/// <summary>Data is loaded and split; training is about to start.</summary>
public sealed record DataLoaded(DataSummary Data, string Device, int ImageSize) : LabEvent;

/// <summary>A model's training and test evaluation are done.</summary>
public sealed record PhaseCompleted(ModelRole Model, ModelResult Result) : LabEvent;
