namespace DistillLab.Core.Training;

/// <summary>How one model is trained: Adam with a fixed learning rate, seeded batch order.</summary>
public sealed record TrainingOptions(int Epochs, int BatchSize, double LearningRate, int Seed);

/// <summary>The loss went NaN or infinite; training cannot go on.</summary>
public sealed class TrainingDivergedException(string message) : Exception(message);
