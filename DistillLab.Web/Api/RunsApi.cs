using System.Text.Json;
using DistillLab.Core.Experiments;
using DistillLab.Core.Inference;
using DistillLab.Web.Settings;
using DistillLab.Web.Datasets;
using DistillLab.Web.Hosting;
using DistillLab.Web.Predictions;
using DistillLab.Web.Runs;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace DistillLab.Web.Api;

/// <summary>The HTTP API: JSON, camelCase, ProblemDetails for every error.</summary>
public static class RunsApi
{
    public static IEndpointRouteBuilder MapDistillLabApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api");
        // Kestrel stops reading past the limit, chunked bodies included; Submit turns that into a 413 with a message.
        api.MapPost("/runs", Submit).WithMetadata(new RequestSizeLimitAttribute(MaxRunBodyBytes));
        api.MapGet("/runs", (RunRegistry runs) => runs.List().Select(RunListItem.From));
        api.MapGet("/runs/export", Export);
        api.MapGet("/runs/{id}", (string id, RunRegistry runs) => runs.Get(id) is { } run ? Results.Ok(run) : NotFound(id));
        api.MapPost("/runs/{id}/cancel", Cancel);
        api.MapPatch("/runs/{id}", RunLabelApi.Patch);
        api.MapDelete("/runs/{id}", Delete);
        api.MapGet("/runs/{id}/predictions", Predictions);
        api.MapGet("/runs/{id}/images/{index:int}.png", Image);
        // The form reader stops at the limit (a body without Content-Length included); the handler answers 413 with a message.
        var uploadLimit = app.ServiceProvider.GetRequiredService<IOptions<DashboardOptions>>().Value.MaxUploadBytes + 64 * 1024;
        api.MapPost("/runs/{id}/predict", Predict).DisableAntiforgery()
            .WithMetadata(new RequestFormLimitsAttribute { MultipartBodyLengthLimit = uploadLimit });
        api.MapGet("/datasets", (DatasetCatalog catalog) => catalog.List());
        api.MapDatasetDownloadApi();
        app.MapWorkersApi();
        api.MapSyntheticSamplesApi();
        api.MapModelExportApi();
        api.MapLogitsApi();
        app.MapStudiesApi();
        // Up while the database is locked: the answer says how many writes wait and why.
        app.MapGet("/healthz", (RunRegistry runs) => runs.PendingWrites is { Count: > 0 } p
            ? Results.Ok(new { status = "degraded", pendingWrites = p.Count, reason = p.Reason })
            : Results.Ok(new { status = "ok" }));
        return app;
    }

    private static IResult NotFound(string id) =>
        Results.Problem(statusCode: 404, title: "Run not found", detail: $"There is no run '{Core.Quote.Short(id)}'.");

    /// <summary>A run config is a few hundred bytes; anything near this is not one.</summary>
    internal const int MaxRunBodyBytes = 64 * 1024;

    private static IResult RunBodyTooLarge() => Results.Problem(statusCode: 413, title: "Body too large",
        detail: $"A run config is a small JSON object; at most {MaxRunBodyBytes / 1024} KB are accepted.");

    private static async Task<IResult> Submit(HttpRequest http, RunRequests requests)
    {
        if (http.ContentLength > MaxRunBodyBytes) return RunBodyTooLarge();
        RunConfigRequest? body = null;
        if (http.ContentLength is null or > 0)
        {
            // Read by hand so a wrongly typed field gets a message naming it, like every other bad field.
            try
            {
                var json = await JsonSerializer.DeserializeAsync<JsonElement>(http.Body, JsonDefaults.Options);
                if (json.ValueKind != JsonValueKind.Object) throw new JsonException("not an object", "$", null, null);
                body = RunConfigRequest.Parse(json);
            }
            catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge) { return RunBodyTooLarge(); }
            catch (JsonException e)
            {
                var field = string.IsNullOrEmpty(e.Path) || e.Path == "$" ? "body" : e.Path.TrimStart('$', '.');
                return Results.ValidationProblem(new Dictionary<string, string[]> { [field] = [$"{field} has the wrong type or is not valid JSON."] },
                    title: "The run config is invalid");
            }
        }
        var request = (body ?? RunConfigRequest.Empty).ToRequest();
        var result = requests.Submit(request);
        if (result.Unavailable is { } busy)
            return Results.Problem(statusCode: 503, title: "Run history busy", detail: busy);
        if (result.QueueFull)
            return Results.Problem(statusCode: 429, title: "Queue full",
                detail: "The run queue is full; wait for a run to finish or cancel one, then try again.");
        if (!result.Accepted)
            return Results.ValidationProblem(result.Errors.ToDictionary(e => e.Field, e => new[] { $"{e.Field} {e.Message}" }),
                title: "The run config is invalid");
        var run = result.Run!;
        return Results.Accepted($"/api/runs/{run.Id}", new { id = run.Id, status = run.Status, queuePosition = run.QueuePosition });
    }

    private static IResult Cancel(string id, RunRequests requests, RunRegistry runs)
    {
        if (requests.Cancel(id)) return Results.Accepted($"/api/runs/{id}", new { id, status = "cancelling" });
        return runs.Get(id) is { } run
            ? Results.Problem(statusCode: 409, title: "Run already ended", detail: $"Run '{id}' is {run.Status.ToString().ToLowerInvariant()}; only queued or running runs can be cancelled.")
            : NotFound(id);
    }

    private static IResult Delete(string id, RunRequests requests) => requests.Delete(id) switch
    {
        DeleteResult.Deleted => Results.NoContent(),
        DeleteResult.Active => Results.Problem(statusCode: 409, title: "Run is active", detail: "Cancel the run before deleting it."),
        _ => NotFound(id),
    };

    private static IResult Predictions(string id, RunRegistry runs, PredictionService predictions, int? count, string? filter, int? seed)
    {
        var run = runs.Get(id);
        if (run is null) return NotFound(id);
        if (!PredictionFilters.TryParse(filter, out var parsed))
            return Results.ValidationProblem(new Dictionary<string, string[]> { ["filter"] = [$"filter must be one of {string.Join(", ", PredictionFilters.Names)}."] });
        if (count is < 1 or > 1000)
            return Results.ValidationProblem(new Dictionary<string, string[]> { ["count"] = ["count must be between 1 and 1000."] });
        if (run.Status != RunStatus.Completed)
            return Results.Problem(statusCode: 409, title: "No predictions yet", detail: $"Run '{id}' is {run.Status.ToString().ToLowerInvariant()}; predictions exist for completed runs.");
        return Results.Ok(predictions.ForRun(run, parsed, count ?? 24, seed));
    }

    private static IResult Image(string id, int index, RunRegistry runs)
    {
        var run = runs.Get(id);
        if (run?.ImageSize is not { } size) return NotFound(id);
        return runs.TestImage(id, index, size) is { } png
            ? Results.File(png, "image/png")
            : Results.Problem(statusCode: 404, title: "Image not found", detail: $"Run '{id}' has no stored test image {index}.");
    }

    private static async Task<IResult> Predict(string id, HttpRequest http, RunRegistry runs, PredictionService predictions, IOptions<DashboardOptions> options)
    {
        var run = runs.Get(id);
        if (run is null) return NotFound(id);
        if (!http.HasFormContentType)
            return Results.Problem(statusCode: 400, title: "No file", detail: "Send the picture as multipart/form-data in a field named 'file'.");
        var limit = options.Value.MaxUploadBytes;
        if (http.ContentLength > limit + 64 * 1024)
            return TooLarge(limit);
        IFormCollection form;
        try { form = await http.ReadFormAsync(); }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge) { return TooLarge(limit); }
        catch (InvalidDataException e) when (e.Message.Contains("limit", StringComparison.OrdinalIgnoreCase)) { return TooLarge(limit); }
        catch (Exception e) when (e is InvalidDataException or IOException or BadHttpRequestException)
        {
            // An empty or cut-off body, a missing boundary: the client's mistake, said as such (it used to be a 500).
            return Results.Problem(statusCode: 400, title: "Not a valid upload",
                detail: $"The body is not valid multipart/form-data with a picture in a field named 'file' ({Core.Quote.Short(e.Message)}).");
        }
        var file = form.Files.GetFile("file") ?? form.Files.FirstOrDefault();
        if (file is null) return Results.Problem(statusCode: 400, title: "No file", detail: "Send the picture in a form field named 'file'.");
        if (file.Length > limit) return TooLarge(limit);
        using var buffer = new MemoryStream();
        await file.CopyToAsync(buffer);
        var bytes = buffer.ToArray();
        try { return Results.Ok(await predictions.ForUploadAsync(run, bytes, http.HttpContext.RequestAborted)); }
        catch (UploadsBusyException e)
        {
            http.HttpContext.Response.Headers.RetryAfter = ((int)Math.Ceiling(e.RetryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            return Results.Problem(statusCode: 503, title: "Busy decoding uploads", detail: e.Message);
        }
        catch (ImageRejectedException e) { return Results.Problem(statusCode: 400, title: "Not a usable picture", detail: e.Message); }
        catch (InvalidOperationException e) { return Results.Problem(statusCode: 409, title: "No models", detail: e.Message); }
    }

    private static IResult Export(string? ids, string? format, RunRegistry runs)
    {
        var wanted = (ids ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (wanted.Length == 0)
            return Results.ValidationProblem(new Dictionary<string, string[]> { ["ids"] = ["ids must list at least one run id, comma-separated."] });
        var found = wanted.Select(id => runs.Get(id)).OfType<RunDetails>().ToList();
        if (found.Count < wanted.Length)
            return Results.Problem(statusCode: 404, title: "Run not found", detail: $"Unknown run(s): {string.Join(", ", wanted.Except(found.Select(r => r.Id)))}.");
        string stamp = found.Count == 1 ? found[0].Id : $"{found.Count}-runs";
        return (format ?? "json") switch
        {
            "json" => Results.File(System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(found, JsonDefaults.Options), "application/json", $"distilllab-{stamp}.json"),
            "csv" => Results.File(System.Text.Encoding.UTF8.GetBytes(RunCsv.Write(found)), "text/csv", $"distilllab-{stamp}.csv"),
            _ => Results.ValidationProblem(new Dictionary<string, string[]> { ["format"] = ["format must be csv or json."] }),
        };
    }

    private static IResult TooLarge(long limit) => Results.Problem(statusCode: 413, title: "File too large",
        detail: $"Pictures of at most {limit / (1024 * 1024)} MB are accepted.");
}
