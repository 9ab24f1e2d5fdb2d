namespace DistillLab.Core.Training;

/// <summary>How one model is trained: Adam with a fixed learning rate, seeded batch order.</summary>
/// <param name="AdamEpsilon">Adam's epsilon; 1e-7 is Keras' (the reference lab's) default.</param>
public sealed record TrainingOptions(int Epochs, int BatchSize, double LearningRate, int Seed, double AdamEpsilon = 1e-7);

/// <summary>The loss went NaN or infinite; training cannot go on.</summary>
public sealed class TrainingDivergedException(string message) : Exception(message);
