using DistillLab.Core.Experiments;

namespace DistillLab.Core.Data;

// TEMPORARY stand-in until the data branch lands; replaced by its version.
public sealed record DataRequest(string Source, int ImageSize, int? Limit, int Seed, LabEnvironment Environment);

public sealed class DataSourceException(string message) : Exception(message);

public static class DataLoader
{
    public static LabData Load(DataRequest request, Action<DataProgress>? progress, CancellationToken ct)
        => throw new DataSourceException("in progress");
}
