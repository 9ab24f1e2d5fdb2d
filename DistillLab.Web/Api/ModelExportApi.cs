using DistillLab.Core.Export;
using DistillLab.Core.Training;
using DistillLab.Web.Runs;

namespace DistillLab.Web.Api;

/// <summary>GET /api/runs/{id}/models/{teacher|studentScratch|studentDistilled}.{onnx|safetensors}: a finished run's
/// model to take home (docs/export.md says what the files hold and how to load them).</summary>
public static class ModelExportApi
{
    public const string ContentType = "application/octet-stream";

    public static RouteGroupBuilder MapModelExportApi(this RouteGroupBuilder api)
    {
        api.MapGet("/runs/{id}/models/{file}", Download);
        return api;
    }

    /// <summary>The file name a download gets: the run and the model's role, e.g. distilllab-20261203-101500-ab12-studentDistilled.onnx.</summary>
    public static string DownloadName(string runId, ModelRole role, ExportFormat format) => $"distilllab-{runId}-{ModelExport.FileName(role, format)}";

    /// <summary>The API path of one model file.</summary>
    public static string Url(string runId, ModelRole role, ExportFormat format) => $"/api/runs/{runId}/models/{ModelExport.FileName(role, format)}";

    private static IResult Download(string id, string file, RunRegistry runs)
    {
        if (runs.Get(id) is not { } run)
            return Results.Problem(statusCode: 404, title: "Run not found", detail: $"There is no run '{Core.Quote.Short(id)}'.");
        if (!ModelExport.TryParseFileName(file, out var role, out var format))
            return Results.Problem(statusCode: 404, title: "No such model file",
                detail: $"'{Core.Quote.Short(file)}' is not a model file; a run has {string.Join(", ", AllNames())}.");
        if (run.Status != RunStatus.Completed)
            return Results.Problem(statusCode: 409, title: "Run not finished",
                detail: $"Run '{id}' is {run.Status.ToString().ToLowerInvariant()}; models can be downloaded from completed runs.");
        // Models are written on request from the run's checkpoint: milliseconds for these sizes, and nothing to keep in sync.
        return runs.ExportModel(run, role, format) is { } bytes
            ? Results.File(bytes, ContentType, DownloadName(id, role, format))
            : Results.Problem(statusCode: 404, title: "Model not stored",
                detail: $"Run '{id}' has no saved {ModelRoles.Key(role)} model (its files were removed or never written).");
    }

    private static IEnumerable<string> AllNames() =>
        ModelRoles.All.SelectMany(r => ModelExport.Formats.Select(f => ModelExport.FileName(r, f)));
}
