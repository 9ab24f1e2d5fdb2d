namespace DistillLab.Core.Data.Synthetic;

internal enum EarStyle { Pointed, Folded, Floppy, RoundUpright }

/// <summary>What one animal's face looks like, drawn from class-dependent but overlapping distributions.</summary>
/// <remarks>Every trait that separates cats from dogs does so only most of the time (folded-ear cats,
/// upright-eared dogs, whiskered dogs, round-pupilled cats, short-snouted dogs), so a model has to weigh
/// several cues; fur colour and markings come from the same distribution for both classes.</remarks>
internal sealed record FaceTraits(
    EarStyle Ears,
    float EarHeight,
    float HeadWidth,
    float HeadHeight,
    float SnoutLength,
    float NoseSize,
    bool TriangleNose,
    bool PinkNose,
    int WhiskersPerSide,
    float WhiskerLength,
    bool SlitPupils,
    bool AlmondEyes,
    bool Tongue)
{
    public static FaceTraits Cat(Random rng)
    {
        double ear = rng.NextDouble();
        var ears = ear < 0.12 ? EarStyle.Folded : ear < 0.20 ? EarStyle.RoundUpright : EarStyle.Pointed;
        return new FaceTraits(
            ears,
            EarHeight: U(rng, 0.35f, 0.95f),
            HeadWidth: U(rng, 0.95f, 1.10f),
            HeadHeight: U(rng, 0.82f, 0.98f),
            SnoutLength: U(rng, 0.0f, 0.35f),
            NoseSize: U(rng, 0.06f, 0.13f),
            TriangleNose: rng.NextDouble() < 0.85,
            PinkNose: rng.NextDouble() < 0.5,
            WhiskersPerSide: rng.NextDouble() < 0.82 ? rng.Next(2, 4) : 0,
            WhiskerLength: U(rng, 0.8f, 1.4f),
            SlitPupils: rng.NextDouble() < 0.72,
            AlmondEyes: rng.NextDouble() < 0.8,
            Tongue: rng.NextDouble() < 0.05);
    }

    public static FaceTraits Dog(Random rng)
    {
        double ear = rng.NextDouble();
        var ears = ear < 0.56 ? EarStyle.Floppy : ear < 0.80 ? EarStyle.Folded : ear < 0.92 ? EarStyle.RoundUpright : EarStyle.Pointed;
        return new FaceTraits(
            ears,
            EarHeight: U(rng, 0.35f, 0.75f),
            HeadWidth: U(rng, 0.85f, 1.02f),
            HeadHeight: U(rng, 0.90f, 1.08f),
            SnoutLength: U(rng, 0.22f, 0.75f),
            NoseSize: U(rng, 0.11f, 0.24f),
            TriangleNose: rng.NextDouble() < 0.12,
            PinkNose: rng.NextDouble() < 0.15,
            WhiskersPerSide: rng.NextDouble() < 0.15 ? rng.Next(1, 3) : 0,
            WhiskerLength: U(rng, 0.5f, 1.0f),
            SlitPupils: rng.NextDouble() < 0.04,
            AlmondEyes: rng.NextDouble() < 0.2,
            Tongue: rng.NextDouble() < 0.35);
    }

    internal static float U(Random rng, float min, float max) => min + (float)rng.NextDouble() * (max - min);
}
