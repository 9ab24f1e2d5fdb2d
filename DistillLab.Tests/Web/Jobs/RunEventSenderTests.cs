using DistillLab.Tests.Support;
using DistillLab.Web.Jobs;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace DistillLab.Tests.Web.Jobs;

/// <summary>The bridge's sending half against a real server that goes away: nothing sent meanwhile is lost.</summary>
[Collection(PostgresCollection.Name), Trait("Category", "Postgres")]
public sealed class RunEventSenderTests(PostgresServer server)
{
    [Fact]
    public async Task EventsSentWhileTheServerIsDownArriveInOrderOnceItIsBack()
    {
        string database = server.CreateDatabase("notify");
        await using var sender = new RunEventSender(database, "test_events", NullLogger.Instance);
        await sender.Send("before"); // its connection is open when the server goes
        server.Stop(immediate: true);
        try
        {
            await sender.Send("during-1");
            await sender.Send("during-2");
        }
        finally { server.Start(); }

        var got = new List<string>();
        await using var listener = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(database) { Pooling = false }.ToString());
        listener.Notification += (_, n) => { lock (got) got.Add(n.Payload); };
        await listener.OpenAsync();
        await using (var listen = new NpgsqlCommand("LISTEN test_events", listener)) await listen.ExecuteNonQueryAsync();
        await sender.SendHeld();
        await sender.Send("after");

        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (got.Count < 3 && DateTime.UtcNow < deadline) await listener.WaitAsync(TimeSpan.FromSeconds(1));
        Assert.Equal(["during-1", "during-2", "after"], got);
    }
}
