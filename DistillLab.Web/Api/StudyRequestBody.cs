using System.Text.Json;
using DistillLab.Core.Experiments;
using DistillLab.Core.Studies;
using DistillLab.Web.Hosting;

namespace DistillLab.Web.Api;

/// <summary>Reads POST /api/studies's body: a run's config fields (bound as LabConfig itself, as POST /api/runs does) and
/// the space's, through StudyConfig's own JSON converter. A wrongly typed field is named, like every other bad field.</summary>
public static class StudyRequestBody
{
    private static readonly Dictionary<string, Type> SpaceFields = new(StringComparer.OrdinalIgnoreCase)
    {
        ["alpha"] = typeof(StudyValues), ["temperature"] = typeof(StudyValues), ["t2"] = typeof(string), ["seeds"] = typeof(int?),
        ["sampler"] = typeof(string), ["trials"] = typeof(int?), ["samplerSeed"] = typeof(int?), ["pruning"] = typeof(string),
    };

    public static bool Parse(JsonElement body, out StudyConfig? config, out string? field, out string? message)
    {
        (config, field, message) = (null, null, null);
        foreach (var property in body.EnumerateObject())
        {
            if (!SpaceFields.TryGetValue(property.Name, out var type)) continue;
            try { property.Value.Deserialize(type, JsonDefaults.Options); }
            catch (JsonException e)
            {
                field = property.Name;
                message = type == typeof(StudyValues)
                    ? $"{field} must be a list of numbers or {{ \"min\", \"max\", \"count\", \"scale\": \"linear\"|\"log\" }} ({e.Message})."
                    : $"{field} has the wrong type: it must be {(type == typeof(string) ? "a string" : "a whole number")}.";
                return false;
            }
        }
        try
        {
            config = body.Deserialize<StudyConfig>(JsonDefaults.Options) ?? new StudyConfig();
            return true;
        }
        catch (JsonException e)
        {
            field = string.IsNullOrEmpty(e.Path) || e.Path == "$" ? "body" : e.Path.TrimStart('$', '.');
            message = $"{field} has the wrong type or is not valid JSON.";
            return false;
        }
    }
}
