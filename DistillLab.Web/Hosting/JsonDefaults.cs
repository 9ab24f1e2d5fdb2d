using System.Text.Json;
using System.Text.Json.Serialization;

namespace DistillLab.Web.Hosting;

/// <summary>One JSON shape everywhere (API, hub, SQLite columns, exports): camelCase, enums as camelCase strings, nulls left out.</summary>
public static class JsonDefaults
{
    public static readonly JsonSerializerOptions Options = Apply(new JsonSerializerOptions(JsonSerializerDefaults.Web));

    public static JsonSerializerOptions Apply(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        options.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
        options.NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals;
        return options;
    }
}
