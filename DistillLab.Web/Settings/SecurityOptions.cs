namespace DistillLab.Web.Settings;

/// <summary>The "Security" section: which browser origins besides the dashboard's own addresses may change state.</summary>
public sealed class SecurityOptions
{
    public const string Section = "Security";

    /// <summary>Extra origins (scheme://host[:port]) allowed to call the API, the hub and the dashboard's circuit,
    /// e.g. the public address of a reverse proxy in front of DistillLab. The listening addresses are always allowed.</summary>
    public string[] AllowedOrigins { get; set; } = [];
}
