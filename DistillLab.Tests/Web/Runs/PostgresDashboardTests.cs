using System.Net.Http.Json;
using DistillLab.Core.Training;
using DistillLab.Tests.Support;
using DistillLab.Web.Runs;
using Npgsql;

namespace DistillLab.Tests.Web.Runs;

/// <summary>The dashboard with Jobs:Engine postgres keeps its history and its runs' files in PostgreSQL: a run's rows
/// land there, none in the data folder, and another dashboard on the same database, with a data folder of its own,
/// shows the run, its test images and its models.</summary>
[Collection(PostgresCollection.Name), Trait("Category", "Postgres")]
public sealed class PostgresDashboardTests(PostgresServer server)
{
    [Fact]
    public async Task ARunTrainedByOneDashboardIsStoredInPostgresAndAnotherDashboardListsIt()
    {
        string connectionString = server.CreateDatabase("dashboard");
        var settings = new Dictionary<string, string?> { ["Jobs:Engine"] = "postgres", ["ConnectionStrings:DistillLab"] = connectionString };
        string id;
        using (var first = new DashboardHost(new ScriptedEngine(), settings: settings))
        {
            using var http = first.Http();
            id = await first.SubmitAsync(http, new { });
            var run = await first.WaitForAsync(http, id, r => !r.IsActive, 60);
            Assert.Equal(RunStatus.Completed, run.Status);
            Assert.False(File.Exists(Path.Combine(first.DataDirectory, "distilllab.db")), "postgres mode writes no SQLite history");
        }

        using (var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ToString()))
        {
            connection.Open();
            Assert.Equal("Completed", new NpgsqlCommand($"SELECT status FROM runs WHERE id = '{id}'", connection).ExecuteScalar());
            Assert.True(Convert.ToInt32(new NpgsqlCommand($"SELECT COUNT(*) FROM epochs WHERE run_id = '{id}'", connection).ExecuteScalar()) > 0);
        }

        using var second = new DashboardHost(new ScriptedEngine(), settings: settings);
        using var other = second.Http();
        var stored = (await other.GetFromJsonAsync<RunDetails>($"/api/runs/{id}", DashboardHost.Json))!;
        Assert.Equal(RunStatus.Completed, stored.Status);
        Assert.NotEmpty(stored.Teacher.History);
        Assert.False(Directory.Exists(Path.Combine(second.DataDirectory, "runs", id)));
        var image = await other.GetAsync($"/api/runs/{id}/images/0.png");
        Assert.Equal(System.Net.HttpStatusCode.OK, image.StatusCode);
        var model = await other.GetAsync($"/api/runs/{id}/models/studentDistilled.onnx");
        Assert.Equal(System.Net.HttpStatusCode.OK, model.StatusCode);
        Assert.True(File.Exists(Path.Combine(second.DataDirectory, "runs", id, "studentDistilled.pt")), "fetched into its own data folder");
    }
}
