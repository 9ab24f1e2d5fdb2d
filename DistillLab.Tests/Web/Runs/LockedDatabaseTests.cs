using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DistillLab.Core.Experiments;
using DistillLab.Web.Settings;
using DistillLab.Web.Runs;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using DistillLab.Core.Training;
using DistillLab.Tests.Support;

namespace DistillLab.Tests.Web.Runs;

/// <summary>Another process holds the run history database locked while a run trains: the run goes on, the server stays
/// up and honest, and what could not be written is written once the lock is gone (it used to stop the process).</summary>
[Collection(DashboardCollection.Name)]
public sealed class LockedDatabaseTests
{
    [Fact]
    public async Task ALockedDatabaseDelaysTheRunsWritesButEndsNeitherTheRunNorTheServer()
    {
        var engine = new ScriptedEngine(epochs: 2, batches: 2) { HoldAfterFirstEpochOf = ModelRole.StudentScratch };
        using var host = new DashboardHost(engine);
        using var http = host.Http();
        var id = await host.SubmitAsync(http, new { });
        await engine.Held.Task.WaitAsync(TimeSpan.FromSeconds(30));

        // A second connection takes the write lock, as `sqlite3 distilllab.db 'BEGIN EXCLUSIVE'` would.
        using var locker = new SqliteConnection($"Data Source={Path.Combine(host.DataDirectory, "distilllab.db")};Pooling=False");
        locker.Open();
        Execute(locker, "BEGIN EXCLUSIVE");
        engine.Release();

        var run = await host.WaitForAsync(http, id, r => r.Status == RunStatus.Completed, 120);
        Assert.Equal(2, run.StudentDistilled.History.Count);
        var health = await http.GetFromJsonAsync<JsonElement>("/healthz");
        Assert.Equal("degraded", health.GetProperty("status").GetString());
        Assert.True(health.GetProperty("pendingWrites").GetInt32() > 0);
        Assert.Contains("locked", health.GetProperty("reason").GetString());

        // A new run cannot be recorded meanwhile: 503 with the reason, not a 500 or a dead server.
        var refused = await http.PostAsJsonAsync("/api/runs", new { alpha = 0.5 });
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.Contains("busy", await refused.Content.ReadAsStringAsync());

        Execute(locker, "COMMIT");
        locker.Close();
        for (int i = 0; i < 100 && (await http.GetFromJsonAsync<JsonElement>("/healthz")).GetProperty("status").GetString() != "ok"; i++)
            await Task.Delay(200);
        Assert.Equal("ok", (await http.GetFromJsonAsync<JsonElement>("/healthz")).GetProperty("status").GetString());

        // Everything the run learned reached the database, in order, and the server takes new runs again.
        var stored = new RunStore(Options.Create(new DataOptions { Directory = host.DataDirectory, Roots = [host.DataDirectory] })).Load(id)!;
        Assert.Equal(RunStatus.Completed, stored.Status);
        Assert.Equal(run.Teacher.History.Select(e => e.Epoch), stored.Teacher.History.Select(e => e.Epoch));
        Assert.Equal(run.StudentScratch.History.Count, stored.StudentScratch.History.Count);
        Assert.Equal(run.StudentDistilled.History.Count, stored.StudentDistilled.History.Count);
        Assert.Equal(run.StudentDistilled.TestAccuracy, stored.StudentDistilled.TestAccuracy);
        var again = await host.SubmitAsync(http, new { alpha = 0.5 });
        Assert.Equal(RunStatus.Completed, (await host.WaitForAsync(http, again, r => !r.IsActive, 60)).Status);
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
