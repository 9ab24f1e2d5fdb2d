using System.Text.Json;
using DistillLab.Web.Runs;

namespace DistillLab.Web.Api;

/// <summary>PATCH /api/runs/{id} with { "name", "notes" }: a field left out stays as it is, null or "" clears it.</summary>
public static class RunLabelApi
{
    private static readonly string[] Fields = ["name", "notes"];

    public static async Task<IResult> Patch(string id, HttpRequest http, RunRegistry runs, RunLabels labels)
    {
        var run = runs.Get(id);
        if (run is null) return NotFound(id);
        JsonDocument document;
        // Read by hand: "left out" and "null" mean different things here, and a wrong type gets a message naming its field.
        try { document = await JsonDocument.ParseAsync(http.Body); }
        catch (JsonException) { return Invalid("body", "body must be a JSON object such as { \"name\": \"...\", \"notes\": \"...\" }."); }
        using var _ = document;
        var body = document.RootElement;
        if (body.ValueKind != JsonValueKind.Object)
            return Invalid("body", "body must be a JSON object such as { \"name\": \"...\", \"notes\": \"...\" }.");
        foreach (var property in body.EnumerateObject())
        {
            var field = Fields.FirstOrDefault(f => f.Equals(property.Name, StringComparison.OrdinalIgnoreCase));
            if (field is null)
                return Invalid(property.Name, $"{property.Name} cannot be changed here; only {string.Join(" and ", Fields)} can.");
            if (property.Value.ValueKind is not (JsonValueKind.String or JsonValueKind.Null))
                return Invalid(field, $"{field} must be a string, or null to clear it.");
        }

        var name = Field(body, "name", run.Name);
        var notes = Field(body, "notes", run.Notes);
        var result = labels.Set(id, name, notes);
        if (result.NotFound) return NotFound(id);
        if (!result.Saved)
            return Results.ValidationProblem(result.Errors.ToDictionary(e => e.Field, e => new[] { e.ToString() }), title: "The name or notes are invalid");
        return Results.Ok(new { id, name = result.Run!.Name, notes = result.Run.Notes });
    }

    private static string? Field(JsonElement body, string name, string? current)
    {
        foreach (var property in body.EnumerateObject())
            if (property.Name.Equals(name, StringComparison.OrdinalIgnoreCase)) return property.Value.GetString();
        return current;
    }

    private static IResult NotFound(string id) =>
        Results.Problem(statusCode: 404, title: "Run not found", detail: $"There is no run '{id}'.");

    private static IResult Invalid(string field, string message) =>
        Results.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] }, title: "The name or notes are invalid");
}
