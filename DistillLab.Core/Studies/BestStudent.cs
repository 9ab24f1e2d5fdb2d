using DistillLab.Core.Export;
using DistillLab.Core.Models;

namespace DistillLab.Core.Studies;

/// <summary>One distilled student of a study's best setting, with what its export says about it.</summary>
/// <param name="Model">Owned by the study: use it (save, export) inside the callback only.</param>
public sealed record BestStudent(int Seed, StudentNet Model, ExportMetadata Metadata);
