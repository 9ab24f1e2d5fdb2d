using System.Collections.Frozen;
using System.Text.Json;
using System.Text.Json.Nodes;
using DistillLab.Web.Hosting;
using DistillLab.Web.Runs;

namespace DistillLab.Web.Jobs;

/// <summary>One run event as a PostgreSQL NOTIFY payload: the event in the API's JSON shape, its type, the process that
/// sent it, and the run's stage and progress there (which the store does not keep).</summary>
public sealed record RunEventWire(string Origin, RunEvent Event, string? Stage, RunProgress? Progress)
{
    /// <summary>NOTIFY's payload limit is 8000 bytes; an event that does not fit is not sent (pages re-read the store).</summary>
    public const int MaxBytes = 7900;

    private static readonly FrozenDictionary<string, Type> Types = typeof(RunEvent).Assembly.GetTypes()
        .Where(t => t.IsSubclassOf(typeof(RunEvent)) && !t.IsAbstract).ToFrozenDictionary(t => t.Name);

    public string ToJson() => new JsonObject
    {
        ["origin"] = Origin,
        ["type"] = Event.GetType().Name,
        ["stage"] = Stage,
        ["progress"] = JsonSerializer.SerializeToNode(Progress, JsonDefaults.Options),
        ["event"] = JsonSerializer.SerializeToNode(Event, Event.GetType(), JsonDefaults.Options),
    }.ToJsonString(JsonDefaults.Options);

    /// <summary>The message, or null for one this version does not know (a newer worker's event type).</summary>
    public static RunEventWire? Parse(string json)
    {
        var node = JsonNode.Parse(json)!.AsObject();
        if (!Types.TryGetValue((string?)node["type"] ?? "", out var type)) return null;
        var e = (RunEvent?)node["event"].Deserialize(type, JsonDefaults.Options);
        if (e is null) return null;
        return new RunEventWire((string?)node["origin"] ?? "", e, (string?)node["stage"], node["progress"].Deserialize<RunProgress>(JsonDefaults.Options));
    }
}
