using System.Text.Json;
using DistillLab.Core.Studies;
using DistillLab.Web.Hosting;
using DistillLab.Web.Studies;

namespace DistillLab.Web.Api;

/// <summary>The studies' HTTP API: POST /api/studies (a run's config fields plus the space) -> 202 { id }; list, one
/// study (the study result's JSON with its live state), cancel. ProblemDetails for every error, as the runs' API.</summary>
public static class StudiesApi
{
    public static IEndpointRouteBuilder MapStudiesApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/studies");
        api.MapPost("", Submit).WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(RunsApi.MaxRunBodyBytes));
        api.MapGet("", (StudyRegistry studies) => studies.List().Select(StudyListItem.From));
        api.MapGet("/{id}", (string id, StudyRegistry studies) => studies.Get(id) is { } study ? Results.Ok(study) : NotFound(id));
        api.MapPost("/{id}/cancel", Cancel);
        api.MapStudyModelExportApi();
        return app;
    }

    private static IResult NotFound(string id) =>
        Results.Problem(statusCode: 404, title: "Study not found", detail: $"There is no study '{Core.Quote.Short(id)}'.");

    private static async Task<IResult> Submit(HttpRequest http, StudyRequests requests)
    {
        if (http.ContentLength > RunsApi.MaxRunBodyBytes) return BodyTooLarge();
        StudyConfig config = new();
        if (http.ContentLength is null or > 0)
        {
            try
            {
                var json = await JsonSerializer.DeserializeAsync<JsonElement>(http.Body, JsonDefaults.Options);
                if (json.ValueKind != JsonValueKind.Object) return Invalid("body", "body must be a JSON object: a run's settings plus alpha, temperature, t2, seeds, sampler, trials, pruning.");
                if (StudyRequestBody.Parse(json, out var parsed, out var field, out var message)) config = parsed!;
                else return Invalid(field!, message!);
            }
            catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge) { return BodyTooLarge(); }
            catch (JsonException) { return Invalid("body", "body is not valid JSON."); }
        }
        var result = requests.Submit(config);
        if (result.Unavailable is { } busy) return Results.Problem(statusCode: 503, title: "Run history busy", detail: busy);
        if (result.QueueFull)
            return Results.Problem(statusCode: 429, title: "Queue full", detail: "The study queue is full; wait for a study to finish or cancel one, then try again.");
        if (!result.Accepted)
            return Results.ValidationProblem(result.Errors.GroupBy(e => e.Field).ToDictionary(g => g.Key, g => g.Select(e => $"{e.Field} {e.Message}").ToArray()),
                title: "The study config is invalid");
        var study = result.Study!;
        return Results.Accepted($"/api/studies/{study.Id}", new { id = study.Id, status = study.Status, trials = study.TrialCount, queuePosition = study.QueuePosition });
    }

    private static IResult Invalid(string field, string message) =>
        Results.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] }, title: "The study config is invalid");

    private static IResult BodyTooLarge() => Results.Problem(statusCode: 413, title: "Body too large",
        detail: $"A study config is a small JSON object; at most {RunsApi.MaxRunBodyBytes / 1024} KB are accepted.");

    private static IResult Cancel(string id, StudyRequests requests, StudyRegistry studies)
    {
        if (requests.Cancel(id)) return Results.Accepted($"/api/studies/{id}", new { id, status = "cancelling" });
        return studies.Get(id) is { } study
            ? Results.Problem(statusCode: 409, title: "Study already ended",
                detail: $"Study '{id}' is {study.Status.ToString().ToLowerInvariant()}; only queued or running studies can be cancelled.")
            : NotFound(id);
    }
}

/// <summary>A study in GET /api/studies: config, state, and the verdict once confirmed.</summary>
public sealed record StudyListItem(string Id, StudyStatus Status, StudyConfig Config, int Trials, DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt, string? Verdict, string? Error)
{
    public static StudyListItem From(StudyDetails s) =>
        new(s.Id, s.Status, s.Config, s.TrialCount, s.CreatedAt, s.StartedAt, s.FinishedAt, s.Best?.Verdict, s.Error);
}
