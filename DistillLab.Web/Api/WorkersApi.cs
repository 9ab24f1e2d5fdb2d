using DistillLab.Web.Jobs;

namespace DistillLab.Web.Api;

/// <summary>GET /api/workers: the worker processes of the postgres job engine, what each trains, its last heartbeat.</summary>
public static class WorkersApi
{
    public static IEndpointRouteBuilder MapWorkersApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/workers", (IServiceProvider services) => services.GetService<WorkerStatus>() is { } workers
            ? Results.Ok(workers.List())
            : Results.Problem(statusCode: 404, title: "No workers",
                detail: "The embedded engine trains in the dashboard itself; workers exist under Jobs:Engine=postgres (docs/scale-out.md)."));
        return app;
    }
}
