using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using InMail.Integration.Tests.Postgres;
using static InMail.Integration.Tests.Api.ApiClient;

namespace InMail.Integration.Tests.Process;

/// <summary>
/// Decision 009 on the real clock: a live server runs a thousand scheduled sends falling due over
/// forty seconds, is killed (SIGKILL) halfway, and starts again on the same database. Every send
/// must run exactly once (one message, one spend, one <c>run-schedule</c> in the log), never before
/// its instant, in due order across the crash, and what fell due while the server was down must run
/// as soon as it is back.
/// </summary>
public abstract class DueWorkCrashContract
{
    private const int Senders = 10;            // at most 100 pending schedules a member (SPEC §10)
    private const int SendsPerSender = 100;    // recruiter-corporate: 150 credits a cycle, 150 InMails a day
    private const int Recipients = 100;        // recipient k gets slot k of each sender: 10 InMails, one per pair
    private const int Concurrency = 16;
    private static readonly TimeSpan Lead = TimeSpan.FromSeconds(4);     // from the first schedule to the first due instant
    private static readonly TimeSpan Spread = TimeSpan.FromSeconds(40);  // the due instants are spread evenly over it
    private static readonly TimeSpan Down = TimeSpan.FromSeconds(4);     // how long the server stays dead
    private static readonly TimeSpan Late = TimeSpan.FromSeconds(15);    // the loosest lateness allowed, on a busy machine

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    protected abstract Task<Tables> DatabaseAsync();

    private sealed record Planned(string Owner, string Id, string To, DateTimeOffset Due);

    [Fact]
    public async Task A_thousand_scheduled_sends_run_once_and_never_early_across_a_kill()
    {
        var tables = await DatabaseAsync();
        string[] live = ["--InMail:Mode=Live", "--InMail:OperatorPassword=test-operator-password", "--Logging:LogLevel:Default=Warning"];
        var senders = Enumerable.Range(0, Senders).Select(i => $"sender-{i:00}").ToList();
        var recipients = Enumerable.Range(0, Recipients).Select(k => $"recipient-{k:000}").ToList();
        var tokens = new Dictionary<string, string>(StringComparer.Ordinal);
        var plan = new List<Planned>();
        DateTimeOffset killedAt;
        int sentBeforeKill;

        var first = await ServerProcess.StartAsync(tables.ServerArgument, live);
        await using (first)
        {
            try
            {
                // A few at a time: a burst of a hundred registrations starves a cold server's thread pool (see bench/README.md, due work).
                var anonymous = first.Anonymous();
                await ForEachAsync(recipients, 8, r => anonymous.RegisterAsync(r, $"Recipient {r}"));
                foreach (var id in senders)
                {
                    tokens[id] = await first.Anonymous().RegisterAsync(id, $"Sender {id}");
                    await Expect(await first.As(tokens[id]).PostAsync($"/api/v1/members/{id}/subscription", new { plan = "recruiter-corporate" }), HttpStatusCode.Created);
                }

                // Slot k of sender i falls due at T0 + (10k + i) × Spread / 1000: one sender after another, every 40 ms.
                var now = DateTimeOffset.UtcNow;
                var t0 = now.AddTicks(-(now.Ticks % TimeSpan.TicksPerMillisecond)) + Lead; // whole milliseconds, as sendAt is written
                for (var k = 0; k < SendsPerSender; k++)
                {
                    for (var i = 0; i < Senders; i++)
                    {
                        plan.Add(new Planned(senders[i], $"due-{k:000}", recipients[k], t0 + (Spread * ((k * Senders) + i) / (Senders * SendsPerSender))));
                    }
                }
                // Scheduled in due order, so the first ones are in well before they fall due whatever the machine's speed.
                var clients = tokens.ToDictionary(t => t.Key, t => first.As(t.Value), StringComparer.Ordinal);
                await ForEachAsync(plan, Concurrency, async p => await Expect(await clients[p.Owner].PostAsync("/api/v1/schedules", new
                {
                    id = p.Id,
                    to = p.To,
                    subject = $"A question for {p.To}",
                    body = $"Hello {p.To}, {p.Owner} here (slot {p.Id}): are you open to a chat?",
                    sendAt = p.Due.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture),
                }), HttpStatusCode.Created));
                TestContext.Current.TestOutputHelper?.WriteLine($"{tables.Database}: {plan.Count} scheduled in {(DateTimeOffset.UtcNow - t0 + Lead).TotalSeconds:F1} s");

                // SIGKILL halfway through the due instants.
                await DelayUntil(t0 + (Spread / 2));
                await first.KillAsync();
                killedAt = DateTimeOffset.UtcNow;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                throw ServerProcess.WithOutput(e, [first]);
            }
        }
        sentBeforeKill = (int)await tables.ScalarAsync("SELECT COUNT(*) FROM scheduled_sends WHERE status = 'sent'");
        Assert.InRange(sentBeforeKill, 1, plan.Count - 1); // else the kill did not land in the middle and the test proves less

        await Task.Delay(Down, Ct);
        var second = await ServerProcess.StartAsync(tables.ServerArgument, live);
        await using (second)
        {
            var restartedAt = DateTimeOffset.UtcNow;
            try
            {
                var deadline = plan[^1].Due + TimeSpan.FromSeconds(45);
                while (await tables.ScalarAsync("SELECT COUNT(*) FROM scheduled_sends WHERE status = 'pending'") > 0)
                {
                    Assert.True(DateTimeOffset.UtcNow < deadline, "scheduled sends were still pending 45 s after the last fell due");
                    await Task.Delay(250, Ct);
                }

                var byKey = plan.ToDictionary(p => (p.Owner, p.Id));
                // Every schedule sent, each with a message of its own.
                var schedules = await tables.RowsAsync("SELECT owner_id, id, to_id, status, message_id, due_at FROM scheduled_sends");
                Assert.Equal(plan.Count, schedules.Count);
                Assert.All(schedules, s => Assert.Equal("sent", s[3]));
                var messageOf = schedules.ToDictionary(s => (s[0], s[1]), s => s[4]);
                Assert.Equal(plan.Count, messageOf.Values.Distinct(StringComparer.Ordinal).Count());

                // Exactly those messages exist (no duplicate), from the owner to the recipient, none before its due instant.
                var messages = (await tables.RowsAsync("SELECT id, from_id, to_id, sent_at, path FROM messages"))
                    .ToDictionary(m => m[0], m => (From: m[1], To: m[2], At: Instant(m[3]), Path: m[4]), StringComparer.Ordinal);
                Assert.Equal(plan.Count, messages.Count);
                var lateness = new List<(Planned Plan, TimeSpan Late)>();
                foreach (var s in schedules)
                {
                    var p = byKey[(s[0], s[1])];
                    Assert.Equal(p.Due, Instant(s[5]));
                    Assert.True(messages.TryGetValue(s[4], out var m), $"{p.Owner}/{p.Id}: its message {s[4]} is missing");
                    Assert.Equal((p.Owner, p.To, "inmail"), (m.From, m.To, m.Path));
                    Assert.True(m.At >= p.Due, $"{p.Owner}/{p.Id} ran at {m.At:O}, before its instant {p.Due:O}");
                    // Late by at most a busy machine's slack after its instant, or after the restart for what the kill caught.
                    var bound = (m.At > killedAt && restartedAt > p.Due ? restartedAt : p.Due) + Late;
                    Assert.True(m.At <= bound, $"{p.Owner}/{p.Id} due at {p.Due:O} ran only at {m.At:O}");
                    lateness.Add((p, m.At - p.Due));
                }

                // One run-schedule each in the log, in due order across the kill; one spend each.
                var runs = (await tables.RowsAsync("SELECT command FROM command_log WHERE command LIKE '%\"run-schedule\"%' ORDER BY seq"))
                    .Select(r => JsonNode.Parse(r[0])!).Select(c => (c["owner"]!.GetValue<string>(), c["schedule"]!.GetValue<string>())).ToList();
                Assert.Equal(plan.Count, runs.Count);
                var inDueOrder = plan.OrderBy(p => p.Due).ThenBy(p => p.Owner, StringComparer.Ordinal).Select(p => (p.Owner, p.Id)).ToList();
                Assert.Equal(inDueOrder, runs);
                Assert.Equal(plan.Count, await tables.ScalarAsync("SELECT COUNT(*) FROM ledger_entries WHERE wallet_kind = 'member' AND kind = 'spend'"));
                foreach (var id in senders)
                {
                    var credits = await second.As(tokens[id]).GetJson($"/api/v1/members/{id}/credits"); // tokens issued before the kill still work
                    Assert.Equal(150 - SendsPerSender, credits["usable"]!.GetValue<int>());
                }

                var after = lateness.Where(l => l.Plan.Due > restartedAt).Select(l => l.Late.TotalMilliseconds).Order().ToList();
                TestContext.Current.TestOutputHelper?.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{tables.Database}: {sentBeforeKill} sent before the kill, {lateness.Count(l => l.Plan.Due > killedAt && l.Plan.Due <= restartedAt)} fell due while it was down; "
                    + $"lateness of the ones due after the restart: median {after[after.Count / 2]:F0} ms, max {after[^1]:F0} ms; the latest of all {lateness.Max(l => l.Late).TotalSeconds:F1} s"));
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                throw ServerProcess.WithOutput(e, [second]);
            }
            Assert.Equal(0, await second.StopAsync());
        }
    }

    private static DateTimeOffset Instant(string text) =>
        DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    /// <summary>Runs <paramref name="work"/> on each item in order, at most <paramref name="parallel"/> at a time.</summary>
    private static async Task ForEachAsync<T>(IReadOnlyList<T> items, int parallel, Func<T, Task> work)
    {
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, parallel).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < items.Count)
            {
                await work(items[i]);
            }
        }));
    }

    private static async Task DelayUntil(DateTimeOffset at)
    {
        var wait = at - DateTimeOffset.UtcNow;
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, Ct);
        }
    }
}

public sealed class SqliteDueWorkCrashTests : DueWorkCrashContract, IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("inmail-duecrash-").FullName;

    protected override Task<Tables> DatabaseAsync() => Task.FromResult(Tables.Sqlite(Path.Combine(_dir, "inmail.db")));

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }
}

public sealed class PostgresDueWorkCrashTests : DueWorkCrashContract
{
    protected override async Task<Tables> DatabaseAsync() => Tables.Postgres(await PostgresDatabase.CreateFreshDatabaseAsync());
}
