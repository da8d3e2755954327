using InMail.Domain;
using InMail.Domain.Catalog;
using InMail.Domain.Commands;
using InMail.Domain.Inspection;
using Npgsql;

namespace InMail.Integration.Tests.Storage;

/// <summary>
/// Decision 017: writers on one PostgreSQL database lock what a batch writes, not the database. Each store here
/// stands for a server process: its own engine, working set and connections.
/// </summary>
public sealed partial class PostgresCommandStoreTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_claim_plans_its_lookups_on_every_call_so_a_growing_table_never_keeps_a_plan_made_when_it_was_small()
    {
        // Migration 0019. A later CREATE OR REPLACE of the function would drop this setting and bring back a claim
        // whose cost grew with the aggregates table (0.9 -> 4.4 ms per batch within 30 s of sends).
        await using (Open())
        {
        }
        using var connection = Connect();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT array_to_string(proconfig, ',') FROM pg_proc WHERE proname = 'inmail_claim'";
        Assert.Equal("plan_cache_mode=force_custom_plan", command.ExecuteScalar() as string);
    }

    [Fact]
    public async Task A_batch_waits_only_for_the_members_it_writes_and_others_commit_beside_it()
    {
        await using var first = Open();
        await using var second = Open();
        foreach (var id in new[] { "alice", "bob", "carol", "dan" })
        {
            await Ok(first, $$"""{"do":"member","id":"{{id}}","name":"{{id}}"}""");
        }

        // Another writer holds Alice's claim in an open transaction (as a batch between its claim and its commit does).
        await using var other = new NpgsqlConnection(Options.PostgresConnectionString);
        await other.OpenAsync(Ct);
        await using var tx = await other.BeginTransactionAsync(Ct);
        await using (var claim = new NpgsqlCommand("SELECT pg_advisory_xact_lock(hashtextextended('m:alice', 0))", other, tx))
        {
            await claim.ExecuteNonQueryAsync(Ct);
        }

        // A command on Alice waits for that claim...
        var onAlice = Run(first, """{"do":"block","member":"alice","blocks":"dan"}""");
        // ...while one on Bob and Carol, through the other process, commits at once: there is no lock over the whole database.
        var onBob = Run(second, """{"do":"connect","a":"bob","b":"carol"}""");
        Assert.Same(onBob, await Task.WhenAny(onBob, onAlice, Task.Delay(TimeSpan.FromSeconds(30), Ct)));
        Assert.True((await onBob).IsSuccess);
        await Task.Delay(200, Ct);
        Assert.False(onAlice.IsCompleted, "the command on Alice committed while another writer held her claim");

        await tx.CommitAsync(Ct);
        Assert.True((await onAlice).IsSuccess);
        Assert.Equal(1, Scalar("SELECT COUNT(*) FROM connections WHERE member_id = 'bob' AND other_id = 'carol'"));
        Assert.Equal(1, Scalar("SELECT COUNT(*) FROM blocks WHERE member_id = 'alice' AND blocked_id = 'dan'"));
    }

    [Fact]
    public async Task Interleaved_writers_log_an_order_that_replays_to_the_same_state_and_message_ids()
    {
        await using var first = Open();
        await using var second = Open();
        await SetUpSamAndStrangers(first, 12);
        await Ok(first, """{"do":"member","id":"kim","name":"Kim"}""");
        await Ok(first, """{"do":"subscribe","member":"kim","plan":"premium-business","billing":"monthly"}""");

        // Both senders write through both processes at once; each process names messages from its own block.
        var sends = Enumerable.Range(0, 12).Select(i => Task.Run(() =>
            Run(i % 2 == 0 ? first : second, $$"""{"do":"send","from":"{{(i % 3 == 0 ? "kim" : "sam")}}","to":"s{{i}}","subject":"Hi","body":"Hello {{i}}"}"""), Ct));
        var sent = await Task.WhenAll(sends);
        Assert.All(sent, s => Assert.True(s.IsSuccess, s.Refusal?.ToString()));
        var ids = sent.Select(s => ((Sent)s.Value.Value).Message.Id).ToList();
        Assert.Equal(12, ids.Distinct(StringComparer.Ordinal).Count());
        Clock.Advance(TimeSpan.FromDays(2));
        var responses = await Task.WhenAll(ids.Select((id, i) => Task.Run(() =>
            Run(i % 2 == 0 ? second : first, $$"""{"do":"respond","member":"s{{i}}","message":"{{id}}","kind":"accept"}"""), Ct)));
        Assert.All(responses, r => Assert.True(r.IsSuccess, r.Refusal?.ToString()));

        // A plain engine replaying the log in seq order, with the message numbers each row kept, ends where the stores are.
        var replay = new InMailEngine(PlanCatalog.Default);
        await using (var connection = (NpgsqlConnection)Connect())
        {
            await using var read = new NpgsqlCommand("SELECT at, actor, idempotency_key, command, message_numbers FROM command_log ORDER BY seq", connection);
            await using var reader = await read.ExecuteReaderAsync(Ct);
            while (await reader.ReadAsync(Ct))
            {
                var at = reader.GetFieldValue<DateTimeOffset>(0);
                var command = CommandJson.Read(reader.GetString(3));
                var numbers = reader.IsDBNull(4) ? new Queue<long>() : new Queue<long>(reader.GetString(4).Split(',').Select(long.Parse));
                replay.State.MessageNumbers = () => numbers.Dequeue();
                var outcome = replay.Idempotently(at, reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2), command, () => command.Apply(replay, at));
                Assert.True(outcome.IsSuccess, $"{reader.GetString(3)}: {outcome.Refusal}");
                Assert.Empty(numbers);
            }
        }
        var now = Clock.GetUtcNow();
        var expected = StateJson.Write(replay, now, includeActivity: true);
        Assert.Equal(expected, await first.ReadWholeAsync((e, at) => StateJson.Write(e, at, includeActivity: true), Ct));
        Assert.Equal(expected, await second.ReadWholeAsync((e, at) => StateJson.Write(e, at, includeActivity: true), Ct));
        Assert.All(ids, id => Assert.Contains($"\"{id}\"", expected, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_retry_through_another_process_gets_the_first_answer_and_is_charged_once()
    {
        await using var first = Open();
        await using var second = Open();
        await SetUpSamAndStrangers(first, 1);
        const string send = """{"do":"send","from":"sam","to":"s0","subject":"Hi","body":"Hello"}""";

        // The same idempotency key through two processes at once: one runs, the other answers with its result.
        var both = await Task.WhenAll(Task.Run(() => Run(first, send, "sam", "key-1"), Ct), Task.Run(() => Run(second, send, "sam", "key-1"), Ct));
        Assert.All(both, o => Assert.True(o.IsSuccess, o.Refusal?.ToString()));
        Assert.Single(both, o => !o.Value.Replayed);
        Assert.Equal(1, Scalar("SELECT COUNT(*) FROM ledger_entries WHERE wallet_id = 'sam' AND kind = 'spend'"));
        Assert.Equal(1, Scalar("SELECT COUNT(*) FROM command_log WHERE actor = 'sam' AND idempotency_key = 'key-1'"));
        Assert.Equal(14, await second.ReadAsync((e, now) => e.Credits(now, "sam").Value.Usable, Ct));
    }

    [Fact]
    public async Task A_write_acknowledged_by_one_process_is_seen_by_the_next_request_to_another()
    {
        await using var first = Open();
        await using var second = Open();
        await SetUpSamAndStrangers(first, 17);
        for (var i = 0; i < 15; i++)
        {
            await Ok(first, $$"""{"do":"send","from":"sam","to":"s{{i}}","subject":"Hi","body":"Hello {{i}}"}""");
        }
        // The second process holds Sam with no credits left...
        Assert.Equal(RefusalCode.NoCredits, (await Run(second, """{"do":"send","from":"sam","to":"s15","subject":"Hi","body":"Hello"}""")).Refusal?.Code);
        // ...the first sells him a pack, and the very next send through the second goes out on it.
        await Ok(first, """{"do":"buy","member":"sam","pack":10}""");
        await Ok(second, """{"do":"send","from":"sam","to":"s15","subject":"Hi","body":"Hello again"}""");
        Assert.Equal(9, await first.ReadAsync((e, now) => e.Credits(now, "sam").Value.Usable, Ct));
    }
}
