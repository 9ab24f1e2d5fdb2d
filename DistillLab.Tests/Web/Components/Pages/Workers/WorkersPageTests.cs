using Bunit;
using DistillLab.Tests.Support;
using WorkersPage = DistillLab.Web.Components.Pages.Workers.Workers;

namespace DistillLab.Tests.Web.Components.Pages.Workers;

/// <summary>The Workers page on the embedded engine, where the dashboard trains and no worker exists (the postgres
/// engine's table is covered by WorkerProcessTests through GET /api/workers, which it shows).</summary>
public sealed class WorkersPageTests
{
    [Fact]
    public void OnTheEmbeddedEngineItSaysWorkersComeWithThePostgresEngine()
    {
        using var ctx = new ComponentTestContext();

        var page = ctx.Render<WorkersPage>();

        Assert.Contains("Jobs:Engine=postgres", page.Find(".mud-alert").TextContent);
        Assert.Empty(page.FindAll("table"));
    }
}
