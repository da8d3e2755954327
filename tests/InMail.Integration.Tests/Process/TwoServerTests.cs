using System.Net;
using System.Text.Json.Nodes;
using InMail.Integration.Tests.Postgres;
using static InMail.Integration.Tests.Api.ApiClient;

namespace InMail.Integration.Tests.Process;

/// <summary>
/// Decision 003: two server processes on one PostgreSQL database take the writer lock per batch and
/// first apply each other's commands, so a member's credits are never spent twice, whichever server
/// each request reaches.
/// </summary>
public sealed class TwoServerTests
{
    private const int Requests = 60;
    private const int Credits = 15; // Premium Business's monthly credits; its daily limit (20) is above them

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Two_servers_on_one_database_never_overspend_a_member()
    {
        var connectionString = await PostgresDatabase.CreateFreshDatabaseAsync();
        var tables = Tables.Postgres(connectionString);
        var started = await Task.WhenAll(ServerProcess.StartAsync(tables.ServerArgument), ServerProcess.StartAsync(tables.ServerArgument)); // both migrate and seed the operator at once
        await using var a = started[0];
        await using var b = started[1];

        // Members are created through A; B sees them, and accepts A's tokens.
        var recipients = Enumerable.Range(0, Requests).Select(i => $"recipient-{i:00}").ToList();
        await Task.WhenAll(recipients.Select(r => a.Anonymous().RegisterAsync(r, $"Recipient {r}")));
        var token = await a.Anonymous().RegisterAsync("sender", "Sender");
        var viaA = a.As(token);
        var viaB = b.As(token);
        Assert.Equal("recipient-07", (await viaB.GetJson("/api/v1/members/recipient-07"))["id"]!.GetValue<string>());
        await Expect(await viaB.PostAsync("/api/v1/members/sender/subscription", new { plan = "premium-business", billing = "monthly" }), HttpStatusCode.Created);
        Assert.Equal(Credits, (await viaA.GetJson("/api/v1/members/sender/credits"))["usable"]!.GetValue<int>());

        // Four times as many InMails as credits, each to its own recipient, split across both servers and all at once.
        var results = await Task.WhenAll(recipients.Select(async (to, i) =>
        {
            var via = i % 2 == 0 ? viaA : viaB;
            using var response = await via.PostAsync("/api/v1/messages", new { to, subject = "Hello", body = $"Message {i}" }, $"two-servers-{i}");
            var text = await response.Content.ReadAsStringAsync(Ct);
            return (Status: (int)response.StatusCode, Type: response.Content.Headers.ContentType?.MediaType, Body: JsonNode.Parse(text)!, Via: i % 2 == 0 ? "A" : "B");
        }));

        var accepted = results.Where(r => r.Status == 201).ToList();
        var refused = results.Where(r => r.Status != 201).ToList();
        var summary = string.Join(Environment.NewLine, results.Select(r => $"{r.Via} {r.Status} {r.Body["code"] ?? r.Body["message"]?["id"]}"));
        Assert.True(accepted.Count == Credits, $"{accepted.Count} sends accepted with {Credits} credits:{Environment.NewLine}{summary}");
        Assert.All(refused, r =>
        {
            Assert.Equal(422, r.Status);
            Assert.Equal("application/problem+json", r.Type);
            Assert.Equal("no-credits", r.Body["code"]!.GetValue<string>());
        });
        var sentIds = accepted.Select(r => r.Body["message"]!["id"]!.GetValue<string>()).ToList();
        Assert.Equal(Credits, sentIds.Distinct(StringComparer.Ordinal).Count());

        // Both servers tell the same story: 15 spends, one per message, and nothing left.
        var ledgers = new List<string>();
        foreach (var via in new[] { viaA, viaB })
        {
            var ledger = (await via.GetJson("/api/v1/members/sender/ledger?limit=1000")).AsArray();
            var spends = ledger.Where(e => e!["kind"]!.GetValue<string>() == "spend").Select(e => e!["messageId"]!.GetValue<string>()).ToList();
            Assert.Equal(sentIds.Order(StringComparer.Ordinal), spends.Order(StringComparer.Ordinal));
            Assert.Equal(0, ledger[^1]!["balance"]!.GetValue<int>());
            var credits = await via.GetJson("/api/v1/members/sender/credits");
            Assert.Equal(0, credits["usable"]!.GetValue<int>());
            Assert.Equal(0, credits["lots"]!.AsArray().Sum(l => l!["remaining"]!.GetValue<int>()));
            ledgers.Add(Json(ledger));
            Assert.Equal(Credits, (await via.GetJson("/api/v1/conversations?limit=200"))["total"]!.GetValue<int>());
        }
        Assert.Equal(ledgers[0], ledgers[1]);

        // And so do the tables.
        var wallet = new (string, object)[] { ("s", "sender") };
        Assert.Equal(Credits, await tables.ScalarAsync("SELECT COUNT(*) FROM ledger_entries WHERE wallet_kind = 'member' AND wallet_id = @s AND kind = 'spend'", wallet));
        Assert.Equal(Credits, await tables.ScalarAsync("SELECT COUNT(DISTINCT message_id) FROM ledger_entries WHERE wallet_kind = 'member' AND wallet_id = @s AND kind = 'spend'", wallet));
        Assert.Equal(Credits, await tables.ScalarAsync("SELECT COUNT(*) FROM messages WHERE from_id = @s", wallet));
        Assert.Equal(0, await tables.ScalarAsync("SELECT SUM(delta) FROM ledger_entries WHERE wallet_kind = 'member' AND wallet_id = @s", wallet));
        Assert.Equal(0, await tables.ScalarAsync("SELECT SUM(remaining) FROM lots WHERE wallet_kind = 'member' AND wallet_id = @s", wallet));
        Assert.Equal(Credits, await tables.ScalarAsync("SELECT COUNT(*) FROM command_log WHERE actor = @s AND idempotency_key IS NOT NULL", wallet));

        Assert.Equal(0, await a.StopAsync());
        Assert.Equal(0, await b.StopAsync());
    }
}
