using System.Net;
using System.Text.Json.Nodes;
using InMail.Integration.Tests.Postgres;
using static InMail.Integration.Tests.Api.ApiClient;

namespace InMail.Integration.Tests.Process;

/// <summary>
/// Several server processes on one PostgreSQL database (decisions 003 and 007): each batch holds the
/// writer lock, and what another process changed leaves memory to load again from its documents, so
/// a member's credits are never spent twice, whichever server each request reaches.
/// </summary>
public sealed class TwoServerTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>
    /// Premium Business grants 15 credits with a daily limit of 20. <paramref name="spentFirst"/> InMails
    /// go out through the first server before the burst, so <c>15 − spentFirst</c> credits are left and the
    /// daily limit is never what stops a send: every refusal must be <c>no-credits</c>.
    /// </summary>
    [Theory]
    [InlineData(2, 60, 0)]
    [InlineData(3, 64, 5)]
    public async Task Servers_on_one_database_never_overspend_a_member(int servers, int requests, int spentFirst)
    {
        var credits = 15 - spentFirst;
        var connectionString = await PostgresDatabase.CreateFreshDatabaseAsync();
        var tables = Tables.Postgres(connectionString);
        var started = await Task.WhenAll(Enumerable.Range(0, servers).Select(_ => ServerProcess.StartAsync(tables.ServerArgument))); // all migrate and seed the operator at once
        await using var a = started[0];
        await using var b = started[1];
        await using var c = servers > 2 ? started[2] : null;
        try
        {
            await Burst(started, tables, requests, spentFirst, credits);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw ServerProcess.WithOutput(e, started);
        }
    }

    private static async Task Burst(ServerProcess[] started, Tables tables, int requests, int spentFirst, int credits)
    {
        var a = started[0];
        var servers = started.Length;

        // Members are created through A; the others see them, and accept A's tokens.
        var recipients = Enumerable.Range(0, requests).Select(i => $"recipient-{i:00}").ToList();
        var warmUp = Enumerable.Range(0, spentFirst).Select(i => $"early-{i}").ToList();
        await Task.WhenAll(recipients.Concat(warmUp).Select(r => a.Anonymous().RegisterAsync(r, $"Recipient {r}")));
        var token = await a.Anonymous().RegisterAsync("sender", "Sender");
        var via = started.Select(s => s.As(token)).ToList();
        var viaA = via[0];
        var viaB = via[1];
        Assert.Equal("recipient-07", (await viaB.GetJson("/api/v1/members/recipient-07"))["id"]!.GetValue<string>());
        await Expect(await viaB.PostAsync("/api/v1/members/sender/subscription", new { plan = "premium-business", billing = "monthly" }), HttpStatusCode.Created);
        var early = new List<string>();
        foreach (var to in warmUp)
        {
            using var sent = await viaA.PostAsync("/api/v1/messages", new { to, subject = "Hello", body = "Early" });
            await Expect(sent, HttpStatusCode.Created);
            early.Add(JsonNode.Parse(await sent.Content.ReadAsStringAsync(Ct))!["message"]!["id"]!.GetValue<string>());
        }
        Assert.Equal(credits, (await via[^1].GetJson("/api/v1/members/sender/credits"))["usable"]!.GetValue<int>());

        // Several times as many InMails as credits, each to its own recipient, split across the servers and all at once.
        var results = await Task.WhenAll(recipients.Select(async (to, i) =>
        {
            var server = via[i % servers];
            using var response = await server.PostAsync("/api/v1/messages", new { to, subject = "Hello", body = $"Message {i}" }, $"servers-{i}");
            var text = await response.Content.ReadAsStringAsync(Ct);
            return (Status: (int)response.StatusCode, Type: response.Content.Headers.ContentType?.MediaType, Body: JsonNode.Parse(text)!, Via: (char)('A' + (i % servers)));
        }));

        var accepted = results.Where(r => r.Status == 201).ToList();
        var refused = results.Where(r => r.Status != 201).ToList();
        var summary = string.Join(Environment.NewLine, results.Select(r => $"{r.Via} {r.Status} {r.Body["code"] ?? r.Body["message"]?["id"]}"));
        Assert.True(accepted.Count == credits, $"{accepted.Count} sends accepted with {credits} credits:{Environment.NewLine}{summary}");
        Assert.All(refused, r =>
        {
            Assert.Equal(422, r.Status);
            Assert.Equal("application/problem+json", r.Type);
            Assert.Equal("no-credits", r.Body["code"]!.GetValue<string>());
        });
        var sentIds = accepted.Select(r => r.Body["message"]!["id"]!.GetValue<string>()).ToList();
        Assert.Equal(credits, sentIds.Distinct(StringComparer.Ordinal).Count());
        sentIds.AddRange(early);

        // Every server tells the same story: 15 spends, one per message, and nothing left.
        var ledgers = new List<string>();
        foreach (var server in via)
        {
            var ledger = (await server.GetJson("/api/v1/members/sender/ledger?limit=1000")).AsArray();
            var spends = ledger.Where(e => e!["kind"]!.GetValue<string>() == "spend").Select(e => e!["messageId"]!.GetValue<string>()).ToList();
            Assert.Equal(sentIds.Order(StringComparer.Ordinal), spends.Order(StringComparer.Ordinal));
            Assert.Equal(0, ledger[^1]!["balance"]!.GetValue<int>());
            var left = await server.GetJson("/api/v1/members/sender/credits");
            Assert.Equal(0, left["usable"]!.GetValue<int>());
            Assert.Equal(0, left["lots"]!.AsArray().Sum(l => l!["remaining"]!.GetValue<int>()));
            ledgers.Add(InMail.Integration.Tests.Api.ApiClient.Json(ledger));
            Assert.Equal(15, (await server.GetJson("/api/v1/conversations?limit=200"))["total"]!.GetValue<int>());
        }
        Assert.All(ledgers, l => Assert.Equal(ledgers[0], l));

        // And so do the tables.
        var wallet = new (string, object)[] { ("s", "sender") };
        Assert.Equal(15, await tables.ScalarAsync("SELECT COUNT(*) FROM ledger_entries WHERE wallet_kind = 'member' AND wallet_id = @s AND kind = 'spend'", wallet));
        Assert.Equal(15, await tables.ScalarAsync("SELECT COUNT(DISTINCT message_id) FROM ledger_entries WHERE wallet_kind = 'member' AND wallet_id = @s AND kind = 'spend'", wallet));
        Assert.Equal(15, await tables.ScalarAsync("SELECT COUNT(*) FROM messages WHERE from_id = @s", wallet));
        Assert.Equal(0, await tables.ScalarAsync("SELECT SUM(delta) FROM ledger_entries WHERE wallet_kind = 'member' AND wallet_id = @s", wallet));
        Assert.Equal(0, await tables.ScalarAsync("SELECT SUM(remaining) FROM lots WHERE wallet_kind = 'member' AND wallet_id = @s", wallet));
        Assert.Equal(credits, await tables.ScalarAsync("SELECT COUNT(*) FROM command_log WHERE actor = @s AND idempotency_key IS NOT NULL", wallet));

        foreach (var server in started)
        {
            Assert.Equal(0, await server.StopAsync());
        }
    }
}
