using System.Globalization;
using System.Net;
using InMail.Integration.Tests.Postgres;
using static InMail.Integration.Tests.Api.ApiClient;

namespace InMail.Integration.Tests.Process;

/// <summary>
/// Decision 009: live servers on one PostgreSQL database each look for due work every half second;
/// every scheduled send runs once, whichever server finds it first.
/// </summary>
public sealed class DueWorkServerTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Two_live_servers_run_each_scheduled_send_once()
    {
        const int Sends = 12;
        var connectionString = await PostgresDatabase.CreateFreshDatabaseAsync();
        var tables = Tables.Postgres(connectionString);
        string[] live = ["--InMail:Mode=Live", "--InMail:OperatorPassword=test-operator-password"];
        var started = await Task.WhenAll(ServerProcess.StartAsync(tables.ServerArgument, live), ServerProcess.StartAsync(tables.ServerArgument, live));
        await using var a = started[0];
        await using var b = started[1];
        try
        {
            var token = await a.Anonymous().RegisterAsync("rita", "Rita Gomez");
            await Task.WhenAll(Enumerable.Range(0, Sends).Select(i => a.Anonymous().RegisterAsync($"r{i:00}", $"Recipient {i:00}")));
            var viaA = a.As(token);
            var viaB = b.As(token);
            await Expect(await viaA.PostAsync("/api/v1/members/rita/subscription", new { plan = "premium-business", billing = "monthly" }), HttpStatusCode.Created);
            // All due at the same instant, scheduled through both servers.
            var due = DateTimeOffset.UtcNow.AddSeconds(3).ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);
            for (var i = 0; i < Sends; i++)
            {
                var via = i % 2 == 0 ? viaA : viaB;
                await Expect(await via.PostAsync("/api/v1/schedules", new { id = $"s{i:00}", to = $"r{i:00}", subject = "Hello", body = $"Recipient {i:00}, a question?", sendAt = due }),
                    HttpStatusCode.Created);
            }
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while ((await viaB.GetJson("/api/v1/members/me/schedules?status=pending")).AsArray().Count > 0)
            {
                Assert.True(DateTime.UtcNow < deadline, "scheduled sends were still pending 30 s later");
                await Task.Delay(200, Ct);
            }
            var done = (await viaA.GetJson("/api/v1/members/me/schedules")).AsArray();
            Assert.All(done, s => Assert.Equal("sent", s!["status"]!.GetValue<string>()));
            var rita = new (string, object)[] { ("s", "rita") };
            Assert.Equal(Sends, await tables.ScalarAsync("SELECT COUNT(*) FROM messages WHERE from_id = @s", rita));
            Assert.Equal(Sends, await tables.ScalarAsync("SELECT COUNT(*) FROM ledger_entries WHERE wallet_kind = 'member' AND wallet_id = @s AND kind = 'spend'", rita));
            Assert.Equal(Sends, await tables.ScalarAsync("SELECT COUNT(*) FROM command_log WHERE command LIKE '%\"run-schedule\"%'", []));
            Assert.Equal(15 - Sends, (await viaB.GetJson("/api/v1/members/me/credits"))["usable"]!.GetValue<int>());
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw ServerProcess.WithOutput(e, started);
        }
        foreach (var server in started)
        {
            Assert.Equal(0, await server.StopAsync());
        }
    }
}
