using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using DistillLab.Core.Experiments;

namespace DistillLab.Core.Studies;

/// <summary>A study config as one flat JSON object, as the API takes it: the base run's fields (as a run's config has
/// them, minus its single alpha, temperature and T² switch) and the space's (<c>alpha</c>, <c>temperature</c>, <c>t2</c>,
/// <c>seeds</c>, <c>sampler</c>, <c>trials</c>, <c>samplerSeed</c>, <c>pruning</c>).</summary>
public sealed class StudyConfigJsonConverter : JsonConverter<StudyConfig>
{
    private static readonly string[] SpaceFields = ["alpha", "temperature", "t2", "seeds", "sampler", "trials", "samplerSeed", "pruning"];

    public override StudyConfig Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var node = JsonNode.Parse(ref reader) as JsonObject ?? throw new JsonException("A study config is a JSON object.");
        var space = new Dictionary<string, JsonNode?>(StringComparer.OrdinalIgnoreCase);
        foreach (var name in node.Select(p => p.Key).ToList())
        {
            if (!SpaceFields.Contains(name, StringComparer.OrdinalIgnoreCase)) continue;
            space[name] = node[name];
            node.Remove(name);
        }
        var study = new StudyConfig { Base = node.Deserialize<LabConfig>(options) ?? new LabConfig() };
        T? Get<T>(string name) => space.TryGetValue(name, out var v) && v is not null ? v.Deserialize<T>(options) : default;
        return study with
        {
            Alpha = Get<StudyValues>("alpha") ?? study.Alpha,
            Temperature = Get<StudyValues>("temperature") ?? study.Temperature,
            T2 = Get<string>("t2") ?? study.T2,
            Seeds = Get<int?>("seeds") ?? study.Seeds,
            Sampler = Get<string>("sampler") ?? study.Sampler,
            Trials = Get<int?>("trials"),
            SamplerSeed = Get<int?>("samplerSeed"),
            Pruning = Get<string>("pruning") ?? study.Pruning,
        };
    }

    public override void Write(Utf8JsonWriter writer, StudyConfig value, JsonSerializerOptions options)
    {
        var node = JsonSerializer.SerializeToNode(value.Base, options)!.AsObject();
        foreach (var replaced in new[] { nameof(LabConfig.Alpha), nameof(LabConfig.Temperature), nameof(LabConfig.ScaleByTemperatureSquared) })
            node.Remove(options.PropertyNamingPolicy?.ConvertName(replaced) ?? replaced);
        node["alpha"] = JsonSerializer.SerializeToNode(value.Alpha, options);
        node["temperature"] = JsonSerializer.SerializeToNode(value.Temperature, options);
        node["t2"] = value.T2;
        node["seeds"] = value.Seeds;
        node["sampler"] = value.Sampler;
        if (value.Trials is { } trials) node["trials"] = trials;
        if (value.SamplerSeed is { } samplerSeed) node["samplerSeed"] = samplerSeed;
        node["pruning"] = value.Pruning;
        node.WriteTo(writer, options);
    }
}
