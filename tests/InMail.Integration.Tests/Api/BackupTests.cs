using System.Net;
using InMail.Domain.Catalog;
using InMail.Domain.Time;
using InMail.Storage;
using Microsoft.Data.Sqlite;
using static InMail.Integration.Tests.Api.ApiClient;

namespace InMail.Integration.Tests.Api;

/// <summary>The README's backup: SQLite's online backup of the running service's file is a database that opens and holds what was acknowledged.</summary>
public sealed class BackupTests
{
    [Fact]
    public async Task An_online_backup_taken_while_sends_run_opens_with_every_send_acknowledged_before_it()
    {
        await using var server = await InMailServer.StartAsync(Database.Sqlite);
        var alice = await server.MemberAsync("alice");
        await Expect(await alice.PostAsync("/api/v1/members/alice/subscription", new { plan = "premium-business" }), HttpStatusCode.Created);
        for (var i = 0; i < 10; i++)
        {
            await server.MemberAsync($"b{i}");
        }
        for (var i = 0; i < 5; i++)
        {
            await Expect(await alice.PostAsync("/api/v1/messages", new { to = $"b{i}", subject = "Hi", body = "Hello" }), HttpStatusCode.Created);
        }
        var busy = Task.WhenAll(Enumerable.Range(5, 5).Select(i => alice.PostAsync("/api/v1/messages", new { to = $"b{i}", subject = "Hi", body = "Hello" })));

        var source = server.Services.GetService(typeof(Microsoft.Extensions.Options.IOptions<InMail.Web.Hosting.ServiceOptions>)) as Microsoft.Extensions.Options.IOptions<InMail.Web.Hosting.ServiceOptions>;
        var backupPath = Path.Combine(Path.GetDirectoryName(source!.Value.Sqlite)!, "backup.db");
        using (var live = new SqliteConnection($"Data Source={source.Value.Sqlite};Pooling=False"))
        using (var backup = new SqliteConnection($"Data Source={backupPath};Pooling=False"))
        {
            live.Open();
            backup.Open();
            live.BackupDatabase(backup); // what `sqlite3 data/inmail.db ".backup …"` does
        }
        await busy;

        await using var restored = CommandStore.Open(new StoreOptions { SqlitePath = backupPath }, PlanCatalog.Default, new SettableClock(InMailServer.Start));
        var sent = restored.Read((e, _) => e.State.FindMember("alice")!.Wallet.Ledger.Count(l => l.Kind == InMail.Domain.Credits.LedgerKind.Spend));
        Assert.InRange(sent, 5, 10); // the five acknowledged before the backup, and any of the five in flight
        Assert.Equal(15 - sent, restored.Read((e, now) => e.Credits(now, "alice").Value.Usable));
        SqliteConnection.ClearAllPools();
    }
}
