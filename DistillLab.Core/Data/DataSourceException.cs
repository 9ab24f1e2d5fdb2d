namespace DistillLab.Core.Data;

/// <summary>A data source that cannot be used: the message names the problem and what is allowed,
/// so callers show it as it is.</summary>
public sealed class DataSourceException : Exception
{
    public DataSourceException(string message) : base(message) { }
    public DataSourceException(string message, Exception inner) : base(message, inner) { }
}
