using System.Data.Common;
using InMail.Cli.Generate;
using InMail.Domain;
using InMail.Domain.Catalog;
using InMail.Domain.Commands;
using InMail.Domain.Inspection;
using InMail.Domain.Time;
using InMail.Integration.Tests.Postgres;
using InMail.Storage;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace InMail.Integration.Tests.Storage;

/// <summary>
/// Issue 9's history generator (decision 008): what it writes is a database the store agrees with.
/// The store, opened on it, holds exactly the state that replaying its command log in a fresh engine
/// gives (so the documents, the log and the seq order agree, message ids included); the tables'
/// ledger explains every lot; and the service carries on from it (the next message id follows).
/// </summary>
public abstract class GeneratorContract : IAsyncLifetime
{
    protected static readonly GenerateSettings Settings = new()
    {
        Members = 600,
        Messages = 6_000,
        Years = 1,
        Seed = 7,
        CohortSize = 200,
        End = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero),
    };

    protected StoreOptions Options { get; set; } = new();

    public virtual ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public virtual ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }

    protected abstract DbConnection Connect();

    private long Scalar(string sql)
    {
        using var connection = Connect();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private (string, string) Pair(string sql)
    {
        using var connection = Connect();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        Assert.True(reader.Read());
        return (reader.GetString(0), reader.GetString(1));
    }

    private List<(DateTimeOffset At, string Actor, string Json)> Log()
    {
        using var connection = Connect();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT at, actor, command FROM command_log ORDER BY seq";
        using var reader = command.ExecuteReader();
        var rows = new List<(DateTimeOffset, string, string)>();
        while (reader.Read())
        {
            var at = reader.GetFieldType(0) == typeof(string)
                ? DateTimeOffset.Parse(reader.GetString(0), System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AdjustToUniversal)
                : reader.GetFieldValue<DateTimeOffset>(0);
            rows.Add((at, reader.GetString(1), reader.GetString(2)));
        }
        return rows;
    }

    [Fact]
    public async Task A_generated_database_is_the_state_its_log_replays_to_and_the_store_carries_on_from_it()
    {
        var ct = TestContext.Current.CancellationToken;
        var summary = await HistoryGenerator.RunAsync(Settings, Options, PlanCatalog.Default, TextWriter.Null, ct);
        Assert.Equal(3, summary.Cohorts);
        Assert.InRange(summary.Messages, 5_700, 6_300); // the budget is aimed at, not forced
        Assert.Equal(summary.Commands, Scalar("SELECT count(*) FROM command_log"));
        Assert.Equal(summary.Messages, Scalar("SELECT count(*) FROM messages"));
        Assert.Equal(600, Scalar("SELECT count(*) FROM members"));

        // The mix the issue asks for is there: paid InMails refunded by responses, free paths, purchases, plan changes, a team.
        Assert.True(Scalar("SELECT count(*) FROM messages WHERE path = 'inmail' AND refunded_at IS NOT NULL") > 50);
        Assert.True(Scalar("SELECT count(*) FROM messages WHERE path = 'message'") > 1_000);
        Assert.True(Scalar("SELECT count(*) FROM messages WHERE path = 'group'") > 10);
        Assert.True(Scalar("SELECT count(*) FROM ledger_entries WHERE kind = 'purchase'") > 0);
        Assert.True(Scalar("SELECT count(*) FROM command_log WHERE command LIKE '%\"do\":\"change-plan\"%' OR command LIKE '%\"do\":\"cancel\"%'") > 0);
        Assert.True(Scalar("SELECT count(*) FROM teams") > 0);

        // Every lot's remaining credits are the sum of its ledger entries.
        Assert.Equal(0, Scalar("""
            SELECT count(*) FROM lots l
            LEFT JOIN (SELECT wallet_kind, wallet_id, lot_no, sum(delta) AS total FROM ledger_entries GROUP BY wallet_kind, wallet_id, lot_no) e
              ON e.wallet_kind = l.wallet_kind AND e.wallet_id = l.wallet_id AND e.lot_no = l.lot_no
            WHERE coalesce(e.total, 0) <> l.remaining
            """));

        // A fresh engine that replays the log, in seq order, ends in the state the store loads from the documents.
        var replay = new InMailEngine(PlanCatalog.Default);
        foreach (var (at, actor, json) in Log())
        {
            var command = CommandJson.Read(json);
            var outcome = replay.Idempotently(at, actor, null, command, () => command.Apply(replay, at));
            Assert.True(outcome.IsSuccess, $"{json} at {at:O}: {outcome.Refusal}");
        }
        var now = Settings.End.AddDays(3);
        var expected = StateJson.Snapshot(replay, now, includeActivity: true);

        var clock = new SettableClock(now);
        await using (var store = CommandStore.Open(Options, PlanCatalog.Default, clock))
        {
            Assert.Equal(summary.Commands, store.LastSeq);
            Assert.Equal(0, store.Read((e, _) => e.State.LoadedCount)); // nothing replayed at start
            var actual = await store.ReadWholeAsync((e, at) => StateJson.Snapshot(e, at, includeActivity: true), ct);
            Assert.Equal(expected, actual);

            // The service numbers the next message after the generated ones, and the refund rules carry on. Writers
            // that claim per key (PostgreSQL, decision 017) take numbers in blocks of 1,000: the first block after them.
            var last = Scalar("SELECT max(CAST(substr(id, 5) AS INTEGER)) FROM messages");
            var (from, to) = Pair("SELECT member_id, other_id FROM connections ORDER BY member_id, other_id LIMIT 1");
            var sent = await store.ExecuteAsync(new Send(from, to, null, "A message after the generated history."), from, cancellationToken: ct);
            Assert.True(sent.IsSuccess, sent.Refusal?.ToString());
            Assert.Equal($"msg-{(Options.IsPostgres ? ((last + 999) / 1000 * 1000) + 1 : last + 1)}", ((Sent)sent.Value.Value).Message.Id);
        }

        // The same seed gives the same history: cohort 2 rerun alone (its counter after cohort 1's) logs the same commands.
        var first = new Cohort(Settings, PlanCatalog.Default, 0, 0).Run();
        var second = new Cohort(Settings, PlanCatalog.Default, 1, first.LastMessageNumber).Run();
        var logged = Log().Skip(first.Log.Count).Take(second.Log.Count).Select(r => r.Json).ToList();
        Assert.Equal(logged, second.Log.Select(c => CommandJson.Write(c.Command)).ToList());
    }
}

public sealed class SqliteGeneratorTests : GeneratorContract
{
    private readonly string _dir = Directory.CreateTempSubdirectory("inmail-generate-").FullName;

    public SqliteGeneratorTests() => Options = new StoreOptions { SqlitePath = Path.Combine(_dir, "generated.db") };

    protected override DbConnection Connect()
    {
        var connection = new SqliteConnection($"Data Source={Options.SqlitePath};Pooling=False");
        connection.Open();
        return connection;
    }

    public override async ValueTask DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
        await base.DisposeAsync();
    }
}

public sealed class PostgresGeneratorTests : GeneratorContract
{
    public override async ValueTask InitializeAsync() =>
        Options = new StoreOptions { PostgresConnectionString = await PostgresDatabase.CreateFreshDatabaseAsync() };

    protected override DbConnection Connect()
    {
        var connection = new NpgsqlConnection(Options.PostgresConnectionString);
        connection.Open();
        return connection;
    }
}
