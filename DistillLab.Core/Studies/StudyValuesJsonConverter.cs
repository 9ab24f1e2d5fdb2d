using System.Text.Json;
using System.Text.Json.Serialization;

namespace DistillLab.Core.Studies;

/// <summary>Reads and writes <see cref="StudyValues"/> as the API takes them: a list of numbers, or
/// <c>{ "min", "max", "count", "scale": "linear"|"log" }</c> (scale optional, linear by default).</summary>
public sealed class StudyValuesJsonConverter : JsonConverter<StudyValues>
{
    public override StudyValues Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.StartArray)
            return StudyValues.Of(JsonSerializer.Deserialize<double[]>(ref reader) ?? []);
        if (reader.TokenType != JsonTokenType.StartObject)
            throw new JsonException("must be a list of numbers or { \"min\", \"max\", \"count\", \"scale\": \"linear\"|\"log\" }.");
        using var document = JsonDocument.ParseValue(ref reader);
        var root = document.RootElement;
        double Number(string name) => root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number
            ? v.GetDouble() : throw new JsonException($"a range needs a number '{name}'.");
        int count = root.TryGetProperty("count", out var c) && c.ValueKind == JsonValueKind.Number && c.TryGetInt32(out var n)
            ? n : throw new JsonException("a range needs a whole number 'count'.");
        string scale = root.TryGetProperty("scale", out var s) ? s.GetString() ?? "linear" : "linear";
        return StudyValues.Range(Number("min"), Number("max"), count, scale);
    }

    public override void Write(Utf8JsonWriter writer, StudyValues value, JsonSerializerOptions options)
    {
        if (value.List is { } list)
        {
            JsonSerializer.Serialize(writer, list, options);
            return;
        }
        writer.WriteStartObject();
        writer.WriteNumber("min", value.Min);
        writer.WriteNumber("max", value.Max);
        writer.WriteNumber("count", value.Count);
        writer.WriteString("scale", value.Scale);
        writer.WriteEndObject();
    }
}
