using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using InMail.Integration.Tests.Api;
using InMail.Integration.Tests.Postgres;
using static InMail.Integration.Tests.Api.ApiClient;

namespace InMail.Integration.Tests.Process;

/// <summary>
/// Decision 003 promises that a send is acknowledged only once it is committed. So: kill the server
/// (SIGKILL) in the middle of a burst of sends, start it again on the same database, and every
/// acknowledged send must be there, nothing may be charged that was not sent, the ledger must explain
/// the balance, and a retry with the same Idempotency-Key must either replay what was committed or
/// send it now, never charge twice.
/// </summary>
public abstract class CrashContract
{
    private const int Senders = 2;
    private const int SendsPerSender = 100; // Recruiter Professional allows 100 InMails in 24 hours
    private const int Recipients = 34; // at most 3 InMails a pair: under the thread limit of 4 without an answer
    private const int Concurrency = 24;
    private const int BonusCredits = 100;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    protected abstract Task<Tables> DatabaseAsync();

    private sealed record PlannedSend(string Sender, string Key, string To, string Subject, string Body);

    [Fact]
    public async Task Acknowledged_sends_survive_a_kill_and_no_send_is_charged_twice()
    {
        var tables = await DatabaseAsync();
        var recipients = Enumerable.Range(0, Recipients).Select(i => $"recipient-{i:00}").ToList();
        var tokens = new Dictionary<string, string>(StringComparer.Ordinal);
        var initial = new Dictionary<string, int>(StringComparer.Ordinal);
        var plan = new List<PlannedSend>();
        var acked = new ConcurrentDictionary<string, string>(StringComparer.Ordinal); // Idempotency-Key → message id
        var unexpected = new ConcurrentQueue<string>();

        await using (var first = await ServerProcess.StartAsync(tables.ServerArgument))
        {
            var ops = await first.OperatorAsync();
            await Task.WhenAll(recipients.Select(r => first.Anonymous().RegisterAsync(r, $"Recipient {r}")));
            for (var s = 0; s < Senders; s++)
            {
                var id = $"sender-{s}";
                tokens[id] = await first.Anonymous().RegisterAsync(id, $"Sender {s}");
                var client = first.As(tokens[id]);
                await Expect(await client.PostAsync($"/api/v1/members/{id}/subscription", new { plan = "recruiter-professional", billing = "monthly" }), HttpStatusCode.Created);
                await Expect(await ops.PostAsync($"/api/v1/operator/members/{id}/bonuses", new { credits = BonusCredits, days = 30, reason = "crash test" }), HttpStatusCode.Created);
                initial[id] = (await client.GetJson($"/api/v1/members/{id}/credits"))["usable"]!.GetValue<int>();
                Assert.True(initial[id] >= SendsPerSender, $"{id} has only {initial[id]} credits");
                for (var n = 0; n < SendsPerSender; n++)
                {
                    plan.Add(new PlannedSend(id, $"{id}-send-{n:000}", recipients[n % Recipients], $"Crash test {id} #{n}", $"Message {n} from {id}: are you open to a chat?"));
                }
            }
            plan = [.. plan.OrderBy(p => p.Key[^3..], StringComparer.Ordinal).ThenBy(p => p.Sender, StringComparer.Ordinal)]; // both senders mid-burst

            // The burst: once a quarter of it is acknowledged, SIGKILL the server with the sends in flight; the queued ones are not sent.
            var clients = tokens.ToDictionary(t => t.Key, t => first.As(t.Value), StringComparer.Ordinal);
            var killAfter = plan.Count / 4;
            var killing = 0;
            Task? kill = null;
            using var gate = new SemaphoreSlim(Concurrency);
            await Task.WhenAll(plan.Select(async p =>
            {
                await gate.WaitAsync(Ct);
                try
                {
                    if (Volatile.Read(ref killing) == 1)
                    {
                        return; // as if sent to a dead server: not acknowledged
                    }
                    var (status, text) = await TrySendAsync(clients[p.Sender], p);
                    if (status == (int)HttpStatusCode.Created)
                    {
                        acked[p.Key] = JsonNode.Parse(text)!["message"]!["id"]!.GetValue<string>();
                        if (acked.Count >= killAfter && Interlocked.Exchange(ref killing, 1) == 0)
                        {
                            kill = first.KillAsync();
                        }
                    }
                    else if (status is not null)
                    {
                        unexpected.Enqueue($"{p.Key}: {status} {text}");
                    }
                }
                finally
                {
                    gate.Release();
                }
            }));
            Assert.NotNull(kill);
            await kill;
            Assert.True(unexpected.IsEmpty, $"before the kill every send should succeed:{Environment.NewLine}{string.Join(Environment.NewLine, unexpected)}{Environment.NewLine}{first.Output}");
            Assert.True(acked.Count < plan.Count, "every send was acknowledged before the kill landed: the test proved nothing");
        }

        await using var second = await ServerProcess.StartAsync(tables.ServerArgument);
        var again = tokens.ToDictionary(t => t.Key, t => second.As(t.Value), StringComparer.Ordinal); // tokens issued before the kill still work
        var byKey = plan.ToDictionary(p => p.Key, StringComparer.Ordinal);

        // Every acknowledged send is there, as it was sent.
        foreach (var (key, id) in acked)
        {
            var p = byKey[key];
            var message = await again[p.Sender].GetJson($"/api/v1/messages/{id}");
            Assert.Equal(p.Sender, message["from"]!.GetValue<string>());
            Assert.Equal(p.To, message["to"]!.GetValue<string>());
            Assert.Equal(p.Subject, message["subject"]!.GetValue<string>());
            Assert.Equal(p.Body, message["body"]!.GetValue<string>());
            Assert.Equal("inmail", message["path"]!.GetValue<string>());
            Assert.Equal(1, message["cost"]!.GetValue<int>());
        }

        // Only what was sent was charged, and the ledger explains the balance, in the API and in the tables.
        var committed = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var sender in tokens.Keys)
        {
            committed[sender] = await AccountedAsync(tables, again[sender], sender, recipients, initial[sender]);
        }
        foreach (var (key, id) in acked)
        {
            Assert.Contains(id, committed[byKey[key].Sender]);
        }

        // Retrying an unacknowledged send with its key replays it if it was committed, or sends it now.
        var ids = new ConcurrentDictionary<string, string>(acked, StringComparer.Ordinal);
        var replayed = 0;
        var sentNow = 0;
        using (var gate = new SemaphoreSlim(Concurrency))
        {
            await Task.WhenAll(plan.Where(p => !acked.ContainsKey(p.Key)).Select(async p =>
            {
                await gate.WaitAsync(Ct);
                try
                {
                    var (id, isReplay) = await SendAsync(again[p.Sender], p);
                    if (isReplay)
                    {
                        Assert.True(committed[p.Sender].Contains(id), $"{p.Key} was replayed as {id}, which was not committed before the retry");
                        Interlocked.Increment(ref replayed);
                    }
                    else
                    {
                        Assert.False(committed[p.Sender].Contains(id), $"{p.Key} was sent again as {id}, which already existed");
                        Interlocked.Increment(ref sentNow);
                    }
                    Assert.True(ids.TryAdd(p.Key, id));
                }
                finally
                {
                    gate.Release();
                }
            }));
        }
        foreach (var (key, id) in acked.OrderBy(a => a.Key, StringComparer.Ordinal).Take(5))
        {
            var p = byKey[key];
            var (again2, isReplay) = await SendAsync(again[p.Sender], p);
            Assert.True(isReplay, $"{key}: an acknowledged send retried with its key is a replay");
            Assert.Equal(id, again2);
        }

        // Now every planned send happened exactly once.
        Assert.Equal(plan.Count, ids.Values.Distinct(StringComparer.Ordinal).Count());
        foreach (var sender in tokens.Keys)
        {
            var sent = await AccountedAsync(tables, again[sender], sender, recipients, initial[sender]);
            Assert.Equal(SendsPerSender, sent.Count);
            Assert.True(sent.SetEquals(plan.Where(p => p.Sender == sender).Select(p => ids[p.Key])));
            Assert.Equal(SendsPerSender, await tables.ScalarAsync("SELECT COUNT(*) FROM command_log WHERE actor = @s AND idempotency_key IS NOT NULL", ("s", sender)));
        }
        Assert.Equal(0, await second.StopAsync()); // SIGTERM: a graceful stop
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"{tables.Database}: {plan.Count} sends, {acked.Count} acknowledged before the kill, {replayed} committed but unacknowledged (replayed), {sentNow} not committed (sent on retry)");
    }

    /// <summary>Sends; a connection that dies before the whole answer arrived is no acknowledgement (status null).</summary>
    private static async Task<(int? Status, string Text)> TrySendAsync(ApiClient client, PlannedSend p)
    {
        try
        {
            using var response = await client.PostAsync("/api/v1/messages", new { to = p.To, subject = p.Subject, body = p.Body }, p.Key);
            return ((int)response.StatusCode, await response.Content.ReadAsStringAsync(Ct));
        }
        catch (HttpRequestException)
        {
            return (null, "");
        }
        catch (IOException)
        {
            return (null, "");
        }
    }

    private static async Task<(string Id, bool Replayed)> SendAsync(ApiClient client, PlannedSend p)
    {
        using var response = await client.PostAsync("/api/v1/messages", new { to = p.To, subject = p.Subject, body = p.Body }, p.Key);
        var body = await Expect(response, HttpStatusCode.Created);
        var replayed = response.Headers.TryGetValues("Idempotent-Replayed", out var values) && values.SingleOrDefault() == "true";
        return (body["message"]!["id"]!.GetValue<string>(), replayed);
    }

    /// <summary>
    /// The sender's messages (from their conversations), after checking that each has exactly one spend
    /// in the ledger and no spend is without a message, that the ledger's running balance, the usable
    /// credits and the lots agree, and that the tables say the same.
    /// </summary>
    private static async Task<HashSet<string>> AccountedAsync(Tables tables, ApiClient client, string sender, List<string> recipients, int initial)
    {
        var ledger = (await client.GetJson($"/api/v1/members/{sender}/ledger?limit=1000")).AsArray();
        Assert.True(ledger.Count < 1000, "the ledger is longer than one page");
        var spends = ledger.Where(e => e!["kind"]!.GetValue<string>() == "spend").ToList();
        Assert.All(spends, e => Assert.Equal(-1, e!["delta"]!.GetValue<int>()));
        var spent = spends.Select(e => e!["messageId"]!.GetValue<string>()).ToList();
        Assert.Equal(spent.Count, spent.Distinct(StringComparer.Ordinal).Count());

        var sent = new HashSet<string>(StringComparer.Ordinal);
        foreach (var r in recipients)
        {
            var response = await client.GetAsync($"/api/v1/conversations/{r}");
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                continue;
            }
            var thread = await Expect(response, HttpStatusCode.OK);
            foreach (var m in thread["messages"]!.AsArray().Where(m => m!["from"]!.GetValue<string>() == sender))
            {
                Assert.True(sent.Add(m!["id"]!.GetValue<string>()));
            }
        }
        Assert.True(sent.SetEquals(spent), $"{sender}: {sent.Count} messages sent but {spent.Count} spends in the ledger");

        var credits = await client.GetJson($"/api/v1/members/{sender}/credits");
        var usable = credits["usable"]!.GetValue<int>();
        Assert.Equal(0, credits["frozen"]!.GetValue<int>());
        Assert.Equal(initial - sent.Count, usable);
        Assert.Equal(usable, credits["lots"]!.AsArray().Sum(l => l!["remaining"]!.GetValue<int>()));
        Assert.Equal(usable, ledger[^1]!["balance"]!.GetValue<int>());

        var wallet = new (string, object)[] { ("s", sender) };
        var spentInTable = (await tables.RowsAsync("SELECT message_id FROM ledger_entries WHERE wallet_kind = 'member' AND wallet_id = @s AND kind = 'spend'", wallet)).Select(r => r[0]).ToList();
        Assert.Equal(spent.Order(StringComparer.Ordinal), spentInTable.Order(StringComparer.Ordinal));
        var sentInTable = (await tables.RowsAsync("SELECT id FROM messages WHERE from_id = @s", wallet)).Select(r => r[0]).ToList();
        Assert.Equal(sent.Order(StringComparer.Ordinal), sentInTable.Order(StringComparer.Ordinal));
        Assert.Equal(ledger.Count, await tables.ScalarAsync("SELECT COUNT(*) FROM ledger_entries WHERE wallet_kind = 'member' AND wallet_id = @s", wallet));
        Assert.Equal(usable, await tables.ScalarAsync("SELECT SUM(delta) FROM ledger_entries WHERE wallet_kind = 'member' AND wallet_id = @s", wallet));
        Assert.Equal(usable, await tables.ScalarAsync("SELECT SUM(remaining) FROM lots WHERE wallet_kind = 'member' AND wallet_id = @s AND end_state = 'live'", wallet));
        return sent;
    }
}

public sealed class SqliteCrashTests : CrashContract, IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("inmail-crash-").FullName;

    protected override Task<Tables> DatabaseAsync() => Task.FromResult(Tables.Sqlite(Path.Combine(_dir, "inmail.db")));

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }
}

public sealed class PostgresCrashTests : CrashContract
{
    protected override async Task<Tables> DatabaseAsync() => Tables.Postgres(await PostgresDatabase.CreateFreshDatabaseAsync());
}
