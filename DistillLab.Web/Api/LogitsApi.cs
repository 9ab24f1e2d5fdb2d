using DistillLab.Web.Predictions;
using DistillLab.Web.Runs;

namespace DistillLab.Web.Api;

/// <summary>GET /api/runs/{id}/logits/{index}: the three models' logits for one stored test image, the numbers behind
/// the dark-knowledge view (softmax(z / T) at any temperature T).</summary>
public static class LogitsApi
{
    public static RouteGroupBuilder MapLogitsApi(this RouteGroupBuilder api)
    {
        api.MapGet("/runs/{id}/logits/{index:int}", Logits);
        return api;
    }

    private static IResult Logits(string id, int index, RunRegistry runs, DarkKnowledgeService darkKnowledge)
    {
        if (runs.Get(id) is not { } run)
            return Results.Problem(statusCode: 404, title: "Run not found", detail: $"There is no run '{Core.Quote.Short(id)}'.");
        if (run.Status != RunStatus.Completed)
            return Results.Problem(statusCode: 409, title: "Run not finished",
                detail: $"Run '{id}' is {run.Status.ToString().ToLowerInvariant()}; logits exist for completed runs.");
        return darkKnowledge.Logits(run, index) is { } logits
            ? Results.Ok(logits)
            : Results.Problem(statusCode: 404, title: "No logits for this image",
                detail: $"Run '{id}' has no stored logits for test image {index}: the index is outside its stored test images, or the run finished before DistillLab kept logits.");
    }
}
