using DistillLab.Core.Export;
using DistillLab.Core.Studies;
using DistillLab.Web.Studies;

namespace DistillLab.Web.Api;

/// <summary>GET /api/studies/{id}/models/best-seed{N}.{onnx|safetensors}: a completed study's best setting's distilled
/// student for seed N, to take home (docs/export.md).</summary>
public static class StudyModelExportApi
{
    public static RouteGroupBuilder MapStudyModelExportApi(this RouteGroupBuilder api)
    {
        api.MapGet("/{id}/models/{file}", Download);
        return api;
    }

    /// <summary>The file name a download gets: the study and the file, e.g. distilllab-study-20261203-101500-ab12-best-seed42.onnx.</summary>
    public static string DownloadName(string studyId, int seed, ExportFormat format) => $"distilllab-{studyId}-{BestStudents.FileName(seed, format)}";

    /// <summary>The API path of one best student's file.</summary>
    public static string Url(string studyId, int seed, ExportFormat format) => $"/api/studies/{studyId}/models/{BestStudents.FileName(seed, format)}";

    private static IResult Download(string id, string file, StudyRegistry studies, StudyBestModels models)
    {
        if (studies.Get(id) is not { } study)
            return Results.Problem(statusCode: 404, title: "Study not found", detail: $"There is no study '{Core.Quote.Short(id)}'.");
        var seeds = study.Config.SeedList();
        if (!BestStudents.TryParseFileName(file, out var seed, out var format) || !seeds.Contains(seed))
            return Results.Problem(statusCode: 404, title: "No such model file",
                detail: $"'{Core.Quote.Short(file)}' is not a model file of this study; it has {string.Join(", ", BestStudents.FileNames(seeds))} once completed.");
        if (study.Status != StudyStatus.Completed)
            return Results.Problem(statusCode: 409, title: "Study not completed",
                detail: $"Study '{id}' is {study.Status.ToString().ToLowerInvariant()}; the best students can be downloaded from completed studies.");
        if (study.Best is null)
            return Results.Problem(statusCode: 409, title: "No best setting",
                detail: $"Study '{id}' completed without a best setting (no setting completed a trial on every seed), so no student was kept.");
        return models.Export(id, seed, format) is { } bytes
            ? Results.File(bytes, ModelExportApi.ContentType, DownloadName(id, seed, format))
            : Results.Problem(statusCode: 404, title: "Model not stored",
                detail: $"Study '{id}' has no kept student for seed {seed} (it completed before best students were kept, or its files were removed).");
    }
}
