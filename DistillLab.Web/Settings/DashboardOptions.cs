using System.ComponentModel.DataAnnotations;

namespace DistillLab.Web.Settings;

/// <summary>The "Dashboard" section: queue, uploads, and how many test images a run keeps for the Predictions page.</summary>
public sealed class DashboardOptions
{
    public const string Section = "Dashboard";

    /// <summary>Runs that may wait in the queue; one more is answered 429.</summary>
    [Range(1, 1000)] public int QueueCapacity { get; set; } = 8;
    [Range(1, 100 * 1024 * 1024)] public long MaxUploadBytes { get; set; } = 10 * 1024 * 1024;
    /// <summary>Test images (with the three models' predictions) stored per finished run.</summary>
    [Range(1, 100_000)] public int StoredTestImages { get; set; } = 500;
    /// <summary>At most this many batch progress events per second reach the page and the hub.</summary>
    [Range(0.1, 100)] public double BatchProgressPerSecond { get; set; } = 5;
}
