using InMail.Cli.Replay;
using InMail.Domain;
using InMail.Domain.Catalog;
using InMail.Domain.Commands;
using InMail.Domain.Credits;
using InMail.Domain.Time;
using InMail.Storage;
using Microsoft.Data.Sqlite;

namespace InMail.Integration.Tests.Storage;

public sealed class SqliteCommandLogTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);
    private readonly string _dir = Directory.CreateTempSubdirectory("inmail-store-").FullName;
    private readonly SettableClock _clock = new(Start);

    private string DbPath => Path.Combine(_dir, "inmail.db");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    private SqliteCommandLog Open() => SqliteCommandLog.Open(DbPath, PlanCatalog.Default, _clock);

    private static async Task<Outcome<Idempotent<object>>> Run(SqliteCommandLog log, string json, string actor = "", string? key = null) =>
        await log.ExecuteAsync(CommandJson.Read(json), actor, key, TestContext.Current.CancellationToken);

    private static async Task Ok(SqliteCommandLog log, string json)
    {
        var outcome = await Run(log, json);
        Assert.True(outcome.IsSuccess, $"{json}: {outcome.Refusal}");
    }

    [Fact]
    public void Migrations_apply_once_and_are_recorded()
    {
        using var connection = new SqliteConnection($"Data Source={DbPath};Pooling=False");
        connection.Open();

        var first = MigrationRunner.Apply(connection, "sqlite", Start);
        var second = MigrationRunner.Apply(connection, "sqlite", Start);

        Assert.Equal(MigrationRunner.For("sqlite").Select(m => m.Version), first);
        Assert.Empty(second);
        using var count = connection.CreateCommand();
        count.CommandText = "SELECT count(*) FROM schema_migrations";
        Assert.Equal((long)first.Count, (long)count.ExecuteScalar()!);
    }

    [Fact]
    public async Task Reopening_the_database_rebuilds_exactly_the_same_state()
    {
        string before;
        await using (var log = Open())
        {
            await Ok(log, """{"do":"member","id":"alice","name":"Alice"}""");
            await Ok(log, """{"do":"member","id":"bob","name":"Bob"}""");
            await Ok(log, """{"do":"subscribe","member":"alice","plan":"premium-business","billing":"monthly"}""");
            _clock.Advance(TimeSpan.FromDays(5));
            await Ok(log, """{"do":"buy","member":"alice","pack":10}""");
            await Ok(log, """{"do":"send","id":"m1","from":"alice","to":"bob","subject":"Hi","body":"Hello Bob"}""");
            _clock.Advance(TimeSpan.FromDays(100));
            await Ok(log, """{"do":"respond","member":"bob","message":"m1","kind":"decline"}""");
            Assert.Equal(PurchaseNotAllowed, (await Run(log, """{"do":"buy","member":"bob","pack":10}""")).Refusal?.Code);
            before = log.Read((engine, now) => StateJson.Write(engine, now, includeActivity: true));
            Assert.Equal(6, log.LastSeq); // the refused purchase is not logged
        }

        await using var reopened = Open();
        Assert.Equal(6, reopened.LastSeq);
        Assert.Equal(before, reopened.Read((engine, now) => StateJson.Write(engine, now, includeActivity: true)));
    }

    private const RefusalCode PurchaseNotAllowed = RefusalCode.PurchaseNotAllowed;

    [Fact]
    public async Task Parallel_sends_from_a_member_with_fewer_credits_never_overspend()
    {
        const int strangers = 60;
        await using (var log = Open())
        {
            await Ok(log, """{"do":"member","id":"sam","name":"Sam"}""");
            await Ok(log, """{"do":"subscribe","member":"sam","plan":"premium-business","billing":"monthly"}""");
            for (var i = 0; i < strangers; i++)
            {
                await Ok(log, $$"""{"do":"member","id":"s{{i}}","name":"Stranger {{i}}"}""");
            }

            // 15 credits, a daily limit of 20, 60 sends at once: exactly 15 go out, the rest are refused.
            var outcomes = await Task.WhenAll(Enumerable.Range(0, strangers).Select(i =>
                Task.Run(() => Run(log, $$"""{"do":"send","id":"m{{i}}","from":"sam","to":"s{{i}}","subject":"Hi","body":"Hello"}"""), TestContext.Current.CancellationToken)));

            Assert.Equal(15, outcomes.Count(o => o.IsSuccess));
            Assert.All(outcomes.Where(o => !o.IsSuccess), o => Assert.Equal(RefusalCode.NoCredits, o.Refusal!.Code));
            Assert.Equal(0, log.Read((engine, now) => engine.Credits(now, "sam").Value.Usable));
        }

        await using var reopened = Open();
        var ledger = reopened.Read((engine, _) => engine.State.FindMember("sam")!.Wallet.Ledger);
        Assert.Equal(15, ledger.Count(e => e.Kind == LedgerKind.Spend));
        Assert.Equal(15, ledger.Select(e => e.MessageId).Where(m => m is not null).Distinct().Count());
        Assert.Equal(0, reopened.Read((engine, now) => engine.Credits(now, "sam").Value.Usable));
    }

    [Fact]
    public async Task An_idempotent_retry_after_a_restart_returns_the_first_result_and_charges_nothing()
    {
        const string send = """{"do":"send","id":null,"from":"alice","to":"bob","subject":"Hi","body":"Hello"}""";
        string firstId;
        await using (var log = Open())
        {
            await Ok(log, """{"do":"member","id":"alice","name":"Alice"}""");
            await Ok(log, """{"do":"member","id":"bob","name":"Bob"}""");
            await Ok(log, """{"do":"subscribe","member":"alice","plan":"premium-career","billing":"monthly"}""");
            var first = await Run(log, send, "alice", "key-1");
            Assert.True(first.IsSuccess);
            Assert.False(first.Value.Replayed);
            firstId = ((Sent)first.Value.Value).Message.Id;
        }

        await using var reopened = Open();
        var retry = await Run(reopened, send, "alice", "key-1");
        var other = await Run(reopened, send.Replace("Hello", "Hello again", StringComparison.Ordinal), "alice", "key-1");

        Assert.True(retry.IsSuccess);
        Assert.True(retry.Value.Replayed);
        Assert.Equal(firstId, ((Sent)retry.Value.Value).Message.Id);
        Assert.Equal(RefusalCode.IdempotencyConflict, other.Refusal?.Code);
        Assert.Equal(4, reopened.Read((engine, now) => engine.Credits(now, "alice").Value.Usable));
        Assert.Equal(4, reopened.LastSeq);
    }

    [Fact]
    public async Task A_clock_set_back_never_moves_logged_time_backwards()
    {
        await using (var log = Open())
        {
            await Ok(log, """{"do":"member","id":"alice","name":"Alice"}""");
        }
        var earlier = new SettableClock(Start - TimeSpan.FromDays(30));

        await using var reopened = SqliteCommandLog.Open(DbPath, PlanCatalog.Default, earlier);
        await Ok(reopened, """{"do":"member","id":"bob","name":"Bob"}""");

        using var connection = new SqliteConnection($"Data Source={DbPath};Pooling=False");
        connection.Open();
        using var read = connection.CreateCommand();
        read.CommandText = "SELECT at FROM command_log ORDER BY seq";
        using var reader = read.ExecuteReader();
        var instants = new List<string>();
        while (reader.Read())
        {
            instants.Add(reader.GetString(0));
        }
        Assert.Equal(2, instants.Count);
        Assert.Equal(instants[0], instants[1]);
    }
}
