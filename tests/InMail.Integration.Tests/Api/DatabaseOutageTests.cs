using System.Net;
using InMail.Integration.Tests.Postgres;
using Npgsql;
using static InMail.Integration.Tests.Api.ApiClient;

namespace InMail.Integration.Tests.Api;

/// <summary>
/// Issue 9, faults: a server that loses its PostgreSQL mid-run answers 503 <c>unavailable</c> with a clear log
/// line, changes nothing, reports itself unhealthy, and starts again from the database once it can reach it.
/// </summary>
public sealed class DatabaseOutageTests
{
    [Fact]
    public async Task A_lost_database_gives_503_unavailable_and_the_server_carries_on_exactly_when_it_is_back()
    {
        var direct = new NpgsqlConnectionStringBuilder(await PostgresDatabase.CreateFreshDatabaseAsync());
        await using var proxy = new CuttableProxy(direct.Host!, direct.Port);
        var viaProxy = new NpgsqlConnectionStringBuilder(direct.ConnectionString) { Host = "127.0.0.1", Port = proxy.Port, Timeout = 5, CommandTimeout = 10 };
        await using var server = await InMailServer.StartAsync(Database.Postgres, new Dictionary<string, string?> { ["InMail:Postgres"] = viaProxy.ConnectionString });
        var sam = await server.MemberAsync("sam", "Sam Lee");
        await server.MemberAsync("lee", "Lee Park");
        await server.MemberAsync("kim", "Kim Ode");
        await Expect(await sam.PostAsync("/api/v1/members/me/subscription", new { plan = "premium-business", billing = "monthly" }), HttpStatusCode.Created);
        await Expect(await sam.PostAsync("/api/v1/messages", new { to = "lee", subject = "Hello", body = "First" }), HttpStatusCode.Created);
        Assert.Equal(14, (await sam.GetJson("/api/v1/members/me/credits"))["usable"]!.GetValue<int>());

        proxy.Cut();
        await Refused(await sam.PostAsync("/api/v1/messages", new { to = "kim", subject = "Hello", body = "During the outage" }), HttpStatusCode.ServiceUnavailable, "unavailable");
        await Refused(await sam.GetAsync("/api/v1/members/me/credits"), HttpStatusCode.ServiceUnavailable, "unavailable");
        using (var health = await server.Anonymous().GetAsync("/health"))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
        }
        Assert.Contains(server.Logs.Lines, l => l.Level >= Microsoft.Extensions.Logging.LogLevel.Warning && l.Message.Contains("database", StringComparison.OrdinalIgnoreCase) && l.Message.Contains("reach", StringComparison.OrdinalIgnoreCase));
        Assert.Contains(server.Logs.Lines, l => l.Level == Microsoft.Extensions.Logging.LogLevel.Error && l.Category == "InMail.Storage.CommandStore" && l.Message.StartsWith("The database cannot be reached", StringComparison.Ordinal));

        proxy.Restore();
        await Expect(await sam.PostAsync("/api/v1/messages", new { to = "kim", subject = "Hello", body = "After the outage" }), HttpStatusCode.Created);
        using (var health = await server.Anonymous().GetAsync("/health"))
        {
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        }
        // Nothing of the refused send was kept, and nothing was charged twice: two InMails, two spends.
        Assert.Equal(13, (await sam.GetJson("/api/v1/members/me/credits"))["usable"]!.GetValue<int>());
        var ledger = (await sam.GetJson("/api/v1/members/me/ledger?limit=100")).AsArray();
        Assert.Equal(2, ledger.Count(e => e!["kind"]!.GetValue<string>() == "spend"));
        var conversations = await sam.GetJson("/api/v1/conversations?limit=50");
        Assert.Equal(2, conversations["total"]!.GetValue<int>());
        // The store said when it found the database again, and says when it stops.
        Assert.Contains(server.Logs.Lines, l => l.Category == "InMail.Storage.CommandStore" && l.Message.StartsWith("The database can be reached again", StringComparison.Ordinal));
        await server.DisposeAsync();
        // The program's own thread disposes the app (and with it the store) after the host stopped: wait for it.
        var watch = System.Diagnostics.Stopwatch.StartNew();
        while (!server.Logs.Lines.Any(l => l.Category == "InMail.Storage.CommandStore" && l.Message.StartsWith("The store closed the database", StringComparison.Ordinal)))
        {
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(20), "the store never logged that it closed the database");
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
        Assert.Contains(server.Logs.Lines, l => l.Category == "InMail.Storage.CommandStore" && l.Message.StartsWith("The store takes no more commands", StringComparison.Ordinal));
    }
}
