using System.Data.Common;
using System.Globalization;
using InMail.Storage.Projection;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace InMail.Storage;

/// <summary>Where the store keeps its tables: an embedded SQLite file or a PostgreSQL database.</summary>
public sealed record StoreOptions
{
    /// <summary>A SQLite database file (created if missing). Ignored when <see cref="PostgresConnectionString"/> is set.</summary>
    public string SqlitePath { get; init; } = Path.Combine("data", "inmail.db");

    /// <summary>An Npgsql connection string; when set, the store runs on PostgreSQL.</summary>
    public string? PostgresConnectionString { get; init; }

    /// <summary>Most commands one transaction carries (group commit).</summary>
    public int MaxBatch { get; init; } = 512;

    /// <summary>
    /// Decision 007: how many aggregates (members, teams, groups, conversations) the working set keeps
    /// in memory; past it, everything is evicted after the batch that passed it and loads again on
    /// demand. 0 evicts after every batch (the tests use it).
    /// </summary>
    public int WorkingSetLimit { get; init; } = 200_000;

    /// <summary>
    /// Issue 9: how many of a member's conversations, the latest started, the member's document lists; the others are
    /// rows of <c>conversations</c>, read when every conversation of the member is asked for. Bounds what loading and
    /// rewriting a busy member costs, whatever their history.
    /// </summary>
    public int ConversationsInMemberDocument { get; init; } = 200;

    /// <summary>
    /// Decision 016: how many facts of sent InMails (about 130 bytes each) the Results page's cache keeps over all
    /// members, least recently read first out. A member with more is read whole on every view. 0 keeps none.
    /// </summary>
    public int OutreachCacheFacts { get; init; } = 500_000;

    /// <summary>Turns what an idempotent request answered into JSON, kept for a retry that finds its record out of memory.</summary>
    public Func<object, string?>? ResultJson { get; init; }

    /// <summary>
    /// Told when the store does something on its own an operator should see: it retries the writer's connection,
    /// forgets its working set and starts again from the database after a failed batch or read, loses or regains
    /// the database, or stops. Called on the writer's thread or under the store's lock: log, do not block.
    /// </summary>
    public Action<StoreNotice>? Notify { get; init; }

    public bool IsPostgres => !string.IsNullOrWhiteSpace(PostgresConnectionString);
}

/// <summary>A command as the log holds it.</summary>
internal sealed record LoggedCommand(long Seq, DateTimeOffset At, string Actor, string? Key, string Json, string? Touched, string? MessageNumbers = null);

/// <summary>The differences between the two databases, and nothing else: the store's logic is shared.</summary>
internal abstract class Backend : IAsyncDisposable
{
    /// <summary>The log's columns, in the order <see cref="ReadLoggedCommands"/> reads them.</summary>
    protected const string LogColumns = "seq, at, actor, idempotency_key, command, touched, message_numbers";

    public abstract string Dialect { get; }

    /// <summary>Opens a new connection (the writer keeps its own for its lifetime).</summary>
    public abstract DbConnection Open();

    /// <summary>The writer's connection: <see cref="Open"/>, with what a connection that lives as long as the store and writes every batch wants.</summary>
    public virtual DbConnection OpenWriter() => Open();

    /// <summary>
    /// Starts the writer's transaction on <paramref name="connection"/>, which excludes every other
    /// writer of the database until it ends, and returns the commands logged after
    /// <paramref name="after"/> (by another process), read inside it once the exclusion is held.
    /// </summary>
    public abstract List<LoggedCommand> BeginExclusive(DbConnection connection, long after);

    /// <summary>
    /// Carries out the writes, in order, in the transaction <see cref="BeginExclusive"/> started, and
    /// commits it: when this returns, they are durable (and if it throws, they were not committed, or
    /// as far as this process can tell were not).
    /// </summary>
    public abstract void Commit(DbConnection connection, IReadOnlyList<Write> writes);

    /// <summary>
    /// Decision 017: true when other processes may write the same database: writers then lock only what a batch
    /// touches (<see cref="PostgresBackend.CommitClaimed"/>), and reads and batches first take in other processes'
    /// commands through the feed.
    /// </summary>
    public virtual bool PerKey => false;

    /// <summary>Rolls back the transaction <see cref="BeginExclusive"/> started, if it is still open, after a failure; never throws.</summary>
    public abstract void Abort(DbConnection connection);

    public abstract DateTimeOffset ReadInstant(DbDataReader reader, int ordinal);

    /// <summary>
    /// The log is read in chunks of this many commands, in seq order. The LIMIT also makes the
    /// planner walk the primary key: without statistics (a fresh or fast-growing table) PostgreSQL
    /// expects <c>seq &gt; n</c> to match a third of the table, and chose a parallel scan and a sort
    /// whose worker start cost 5–10 ms on every batch, to find no rows.
    /// </summary>
    protected const int LogChunk = 10_000;

    /// <summary>The commands logged after <paramref name="after"/>, outside any write transaction (at start, and to see other processes' commands).</summary>
    public List<LoggedCommand> ReadLog(DbConnection connection, long after) => ReadLog(connection, null, after, []);

    /// <summary>Adds to <paramref name="rows"/> the commands logged after <paramref name="after"/>, a chunk at a time, and returns it.</summary>
    protected List<LoggedCommand> ReadLog(DbConnection connection, DbTransaction? tx, long after, List<LoggedCommand> rows)
    {
        while (true)
        {
            using var read = Command(connection, tx, $"SELECT {LogColumns} FROM command_log WHERE seq > {after} ORDER BY seq LIMIT {LogChunk}");
            using var reader = read.ExecuteReader();
            if (ReadLoggedCommands(reader, rows) < LogChunk)
            {
                return rows;
            }
            after = rows[^1].Seq;
        }
    }

    /// <summary>Adds the reader's rows to <paramref name="rows"/>; returns how many it added.</summary>
    protected int ReadLoggedCommands(DbDataReader reader, List<LoggedCommand> rows)
    {
        var count = 0;
        while (reader.Read())
        {
            rows.Add(new LoggedCommand(reader.GetInt64(0), ReadInstant(reader, 1), reader.GetString(2),
                reader.IsDBNull(3) ? null : reader.GetString(3), reader.GetString(4), reader.IsDBNull(5) ? null : reader.GetString(5), reader.IsDBNull(6) ? null : reader.GetString(6)));
            count++;
        }
        return count;
    }

    public virtual ValueTask DisposeAsync() => ValueTask.CompletedTask;

    /// <summary>The last command of the log (its seq and instant), or (0, MinValue) for an empty log.</summary>
    public (long Seq, DateTimeOffset At) LogTail(DbConnection connection)
    {
        using var read = Command(connection, null, "SELECT seq, at FROM command_log ORDER BY seq DESC LIMIT 1");
        using var reader = read.ExecuteReader();
        return reader.Read() ? (reader.GetInt64(0), ReadInstant(reader, 1)) : (0, DateTimeOffset.MinValue);
    }

    /// <summary>True when at least one aggregate document is stored.</summary>
    public static bool HasDocuments(DbConnection connection)
    {
        using var read = Command(connection, null, "SELECT 1 FROM aggregates LIMIT 1");
        return read.ExecuteScalar() is not null;
    }

    public static Backend Create(StoreOptions options) =>
        options.IsPostgres ? new PostgresBackend(options.PostgresConnectionString!) : new SqliteBackend(options.SqlitePath, options.Notify);

    protected static DbCommand Command(DbConnection connection, DbTransaction? tx, string sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = sql;
        return command;
    }
}

internal sealed class SqliteBackend : Backend
{
    private readonly string _connectionString;

    // Prepared statements of the writer's connection, one per table and kind of write.
    private readonly Dictionary<(Table, WriteKind), SqliteCommand> _prepared = [];
    private SqliteConnection? _preparedOn;

    private readonly Action<StoreNotice>? _notify;
    private SqliteCheckpointer? _checkpointer;

    public SqliteBackend(string path, Action<StoreNotice>? notify = null)
    {
        _notify = notify;
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        _connectionString = new SqliteConnectionStringBuilder { DataSource = full, Pooling = true, DefaultTimeout = 30 }.ToString();
        _ownConnectionString = new SqliteConnectionStringBuilder { DataSource = full, Pooling = false, DefaultTimeout = 30 }.ToString();
    }

    // Reads take pooled connections: opening one (the file, the schema) cost 0.7-1.3 ms, more than most of the queries
    // run on it (bench/README.md, "SQLite reads on pooled connections"). The writer and the checkpointer have
    // connections of their own for the store's life, with settings no read should inherit (cache size, no auto-checkpoint).
    private readonly string _ownConnectionString;

    public override string Dialect => "sqlite";

    public override DbConnection Open() => Open(_connectionString);

    private static SqliteConnection Open(string connectionString)
    {
        var connection = new SqliteConnection(connectionString);
        connection.Open();
        // WAL lets readers (and a backup) run beside the writer; FULL makes every commit durable.
        foreach (var pragma in new[] { "PRAGMA journal_mode=WAL", "PRAGMA synchronous=FULL", "PRAGMA busy_timeout=30000", "PRAGMA foreign_keys=ON" })
        {
            using var command = Command(connection, null, pragma);
            command.ExecuteNonQuery();
        }
        return connection;
    }

    /// <summary>
    /// The writer keeps 16 MB of the database's pages (SQLite's default is 2 MB): a batch walks the indexes of the log,
    /// the messages, the conversations and the documents, and with the default it read pages back from the operating
    /// system on every batch. Not more: every commit sweeps the whole page cache's hash table (<c>pcache1TruncateUnsafe</c>,
    /// from <c>pager_end_transaction</c>), which took 16 % of the writer's time at 64 MB and 5.5 % at 16 MB, while reads
    /// from the OS stayed under 1 % (bench/README.md, "Where the writer's time goes"). It leaves checkpoints to
    /// <see cref="SqliteCheckpointer"/>, on a thread of its own.
    /// </summary>
    public override DbConnection OpenWriter()
    {
        var connection = Open(_ownConnectionString);
        foreach (var pragma in new[] { "PRAGMA cache_size=-16384", "PRAGMA wal_autocheckpoint=0" })
        {
            using var command = Command(connection, null, pragma);
            command.ExecuteNonQuery();
        }
        _checkpointer ??= new SqliteCheckpointer(_ownConnectionString, e => _notify?.Invoke(new StoreNotice(StoreEvent.CheckpointFailed, 0, Error: e)));
        return connection;
    }

    // The writer's open transaction, between BeginExclusive and Commit or Abort.
    private SqliteTransaction? _tx;

    public override List<LoggedCommand> BeginExclusive(DbConnection connection, long after)
    {
        // Microsoft.Data.Sqlite begins with BEGIN IMMEDIATE: the write lock is taken at once.
        _tx = ((SqliteConnection)connection).BeginTransaction(deferred: false);
        return ReadLog(connection, _tx, after, []);
    }

    public override void Commit(DbConnection connection, IReadOnlyList<Write> writes)
    {
        var tx = _tx ?? throw new InvalidOperationException("no write transaction is open");
        Execute((SqliteConnection)connection, tx, writes);
        tx.Commit();
        _checkpointer?.Committed();
        tx.Dispose();
        _tx = null;
    }

    public override void Abort(DbConnection connection)
    {
        try
        {
            _tx?.Dispose(); // rolls back unless committed
        }
#pragma warning disable CA1031 // A connection that cannot even roll back is replaced by the store's rebuild.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
        _tx = null;
    }

    private void Execute(SqliteConnection sqlite, SqliteTransaction tx, IReadOnlyList<Write> writes)
    {
        if (!ReferenceEquals(_preparedOn, sqlite))
        {
            foreach (var c in _prepared.Values)
            {
                c.Dispose();
            }
            _prepared.Clear();
            _preparedOn = sqlite;
        }
        foreach (var write in writes)
        {
            if (!_prepared.TryGetValue((write.Table, write.Kind), out var command))
            {
                command = sqlite.CreateCommand();
                command.CommandText = write.Table.Sql(write.Kind, positional: false);
                var count = write.Kind == WriteKind.Delete ? write.Table.Keys.Count : write.Table.Columns.Count;
                for (var i = 0; i < count; i++)
                {
                    command.Parameters.Add(new SqliteParameter($"@p{i}", null));
                }
                _prepared.Add((write.Table, write.Kind), command);
            }
            command.Transaction = tx;
            for (var i = 0; i < write.Row.Length; i++)
            {
                command.Parameters[i].Value = ToDb(write.Row[i]);
            }
            command.ExecuteNonQuery();
        }
    }

    public override DateTimeOffset ReadInstant(DbDataReader reader, int ordinal) => ParseInstant(reader.GetString(ordinal));

    /// <summary>
    /// Instants are stored as ISO-8601 UTC text, which sorts in time order: exactly
    /// <c>yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'</c> of the UTC time, written digit by digit (a send
    /// stores several, and the general formatter parses its pattern every time).
    /// </summary>
    public static string FormatInstant(DateTimeOffset t) => string.Create(28, t.UtcDateTime, static (span, d) =>
    {
        Digits(span[..4], d.Year);
        span[4] = '-';
        Digits(span.Slice(5, 2), d.Month);
        span[7] = '-';
        Digits(span.Slice(8, 2), d.Day);
        span[10] = 'T';
        Digits(span.Slice(11, 2), d.Hour);
        span[13] = ':';
        Digits(span.Slice(14, 2), d.Minute);
        span[16] = ':';
        Digits(span.Slice(17, 2), d.Second);
        span[19] = '.';
        Digits(span.Slice(20, 7), (int)(d.Ticks % TimeSpan.TicksPerSecond));
        span[27] = 'Z';
    });

    private static void Digits(Span<char> into, int value)
    {
        for (var i = into.Length - 1; i >= 0; i--)
        {
            into[i] = (char)('0' + (value % 10));
            value /= 10;
        }
    }

    /// <summary>
    /// Reads an instant back. What <see cref="FormatInstant"/> wrote is read digit by digit (the Results charts read
    /// hundreds of thousands in one view, and the general parser costs several times more); anything else, such as text
    /// written before that format, goes through the general parser.
    /// </summary>
    public static DateTimeOffset ParseInstant(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length == 28 && text[4] == '-' && text[7] == '-' && text[10] == 'T' && text[13] == ':' && text[16] == ':' && text[19] == '.' && text[27] == 'Z'
            && Number(text, 0, 4) is var year and >= 1 && Number(text, 5, 2) is var month and >= 1 and <= 12
            && Number(text, 8, 2) is var day and >= 1 && day <= DateTime.DaysInMonth(year, month)
            && Number(text, 11, 2) is var hour and >= 0 and < 24 && Number(text, 14, 2) is var minute and >= 0 and < 60
            && Number(text, 17, 2) is var second and >= 0 and < 60 && Number(text, 20, 7) is var ticks and >= 0)
        {
            return new DateTimeOffset(new DateTime(year, month, day, hour, minute, second, DateTimeKind.Utc).AddTicks(ticks), TimeSpan.Zero);
        }
        return DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
    }

    /// <summary>The decimal number in <paramref name="length"/> digits at <paramref name="start"/>, or −1 if one is not a digit.</summary>
    private static int Number(string text, int start, int length)
    {
        var value = 0;
        for (var i = start; i < start + length; i++)
        {
            var digit = text[i] - '0';
            if (digit is < 0 or > 9)
            {
                return -1;
            }
            value = (value * 10) + digit;
        }
        return value;
    }

    private static object ToDb(object? value) => value switch
    {
        null => DBNull.Value,
        DateTimeOffset t => FormatInstant(t),
        bool b => b ? 1L : 0L,
        _ => value,
    };

    public override ValueTask DisposeAsync()
    {
        _checkpointer?.Dispose();
        _checkpointer = null;
        foreach (var c in _prepared.Values)
        {
            c.Dispose();
        }
        _prepared.Clear();
        // Close the idle pooled connections: a closed store leaves no file open (a file replaced at the same path, as a
        // restore from backup does, must not be read through a connection to the old one).
        using var pooled = new SqliteConnection(_connectionString);
        SqliteConnection.ClearPool(pooled);
        return ValueTask.CompletedTask;
    }
}

/// <summary>What a batch claims (decision 017): each aggregate it writes at the version it read, and each idempotency key it used.</summary>
internal sealed record Claim(IReadOnlyList<(string Key, long Version)> Aggregates, IReadOnlyList<(string Actor, string Key)> Idempotency);

/// <summary>A command another process (or this one) logged, as the feed gives it: enough to forget what it touched.</summary>
internal readonly record struct FeedRow(long Seq, DateTimeOffset At, string? Touched, ulong Tx);

/// <summary>
/// The log rows of transactions at or above a bound (a transaction id), and the new bound: every transaction
/// below <see cref="Xmin"/> had ended when these were read, so none of them will add a row later.
/// </summary>
internal sealed record Feed(ulong Xmin, List<FeedRow> Rows);

/// <summary>A claimed batch, committed: its last log seq (every document it wrote now has it), its transaction, and the feed read right after.</summary>
internal sealed record ClaimedCommit(long LastSeq, ulong Tx, Feed? Next);

/// <summary>Another process changed what the batch read since it read it (or used its idempotency key): nothing was written.</summary>
internal sealed class StaleClaimException(IReadOnlyList<string> stale, Exception inner)
    : Exception($"stale: {string.Join(", ", stale)}", inner);

internal sealed class PostgresBackend : Backend
{
    /// <summary>The advisory lock every writer of an InMail database takes for its transaction.</summary>
    public const long WriterLock = 0x1A_4D41_494C; // "InMail"

    private readonly NpgsqlDataSource _source;

    // Each table's columns as PostgreSQL types, read from the database the first time they are needed.
    private Dictionary<string, Dictionary<string, string>>? _columnTypes;

    public PostgresBackend(string connectionString)
    {
        // Each server process names its connections, so pg_stat_activity tells the operator which server holds what.
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (string.IsNullOrEmpty(builder.ApplicationName))
        {
            builder.ApplicationName = $"inmail-{Environment.MachineName}-{Environment.ProcessId}";
        }
        _source = NpgsqlDataSource.Create(builder.ConnectionString);
    }

    public override string Dialect => "postgres";

    public override DbConnection Open() => _source.OpenConnection();

    /// <summary>
    /// One round trip: BEGIN, the writers' advisory lock, then the log after <paramref name="after"/>. Since
    /// decision 017 only the one-time upgrade of a database written before documents takes it: batches claim per key.
    /// The SELECT is a statement of its own after the lock's, so its snapshot (read committed) is taken once the
    /// lock is held and sees every command the previous holder committed.
    /// </summary>
    public override List<LoggedCommand> BeginExclusive(DbConnection connection, long after)
    {
        using var batch = new NpgsqlBatch((NpgsqlConnection)connection);
        batch.BatchCommands.Add(new NpgsqlBatchCommand("BEGIN"));
        batch.BatchCommands.Add(new NpgsqlBatchCommand($"SELECT pg_advisory_xact_lock({WriterLock})"));
        batch.BatchCommands.Add(new NpgsqlBatchCommand($"SELECT {LogColumns} FROM command_log WHERE seq > $1 ORDER BY seq LIMIT {LogChunk}")
        {
            Parameters = { new NpgsqlParameter { Value = after } },
        });
        var rows = new List<LoggedCommand>();
        using (var reader = batch.ExecuteReader())
        {
            while (reader.FieldCount != 7 && reader.NextResult())
            {
            }
            ReadLoggedCommands(reader, rows);
        }
        return rows.Count < LogChunk ? rows : ReadLog(connection, null, rows[^1].Seq, rows);
    }

    /// <summary>The writes, one statement per table and kind (rows passed as arrays and unnested), then COMMIT, in one round trip.</summary>
    public override void Commit(DbConnection connection, IReadOnlyList<Write> writes)
    {
        var npgsql = (NpgsqlConnection)connection;
        _columnTypes ??= ReadColumnTypes(npgsql);
        using var batch = new NpgsqlBatch(npgsql);
        foreach (var group in Bulk.Plan(writes))
        {
            AddWrites(batch, group);
        }
        batch.BatchCommands.Add(new NpgsqlBatchCommand("COMMIT"));
        batch.ExecuteNonQuery();
    }

    public override bool PerKey => true;

    /// <summary>A group's rows as one statement (arrays, unnested) when its columns allow, otherwise one statement a row.</summary>
    private void AddWrites(NpgsqlBatch batch, Bulk.Group group)
    {
        if (group.Rows.Count > 1 && Bulk.Statement(group, _columnTypes!) is { } bulk)
        {
            batch.BatchCommands.Add(bulk);
            return;
        }
        foreach (var row in group.Rows)
        {
            var command = new NpgsqlBatchCommand(group.Table.Sql(group.Kind, positional: true));
            foreach (var value in row)
            {
                command.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value });
            }
            batch.BatchCommands.Add(command);
        }
    }

    /// <summary>
    /// Decision 017, one round trip: BEGIN; <c>inmail_claim</c> (each key's advisory lock, in one fixed order, and
    /// the check that nothing claimed changed since it was read); the writes, with the log's seq taken from
    /// <c>command_log_order</c> and every document stamped with the batch's last seq; that seq and the
    /// transaction's id; COMMIT; then, when <paramref name="thenFeedFrom"/> is given, the feed. Throws
    /// <see cref="StaleClaimException"/> when the claim fails or a row another process wrote meanwhile collides
    /// (nothing was written: the caller rolls back with <see cref="Abort"/> and runs the batch again).
    /// </summary>
    public ClaimedCommit CommitClaimed(DbConnection connection, Claim claim, IReadOnlyList<Write> writes, ulong? thenFeedFrom)
    {
        var npgsql = (NpgsqlConnection)connection;
        _columnTypes ??= ReadColumnTypes(npgsql);
        using var batch = new NpgsqlBatch(npgsql);
        batch.BatchCommands.Add(new NpgsqlBatchCommand("BEGIN"));
        batch.BatchCommands.Add(new NpgsqlBatchCommand("SELECT inmail_claim($1, $2, $3, $4) AS claimed")
        {
            Parameters =
            {
                new NpgsqlParameter { Value = claim.Aggregates.Select(a => a.Key).ToArray() },
                new NpgsqlParameter { Value = claim.Aggregates.Select(a => a.Version).ToArray() },
                new NpgsqlParameter { Value = claim.Idempotency.Select(i => i.Actor).ToArray() },
                new NpgsqlParameter { Value = claim.Idempotency.Select(i => i.Key).ToArray() },
            },
        });
        var logged = false;
        foreach (var group in Bulk.Plan(writes))
        {
            if (group.Table == Tables.CommandLog)
            {
                batch.BatchCommands.Add(OrderedLogInsert(group));
                logged = true;
            }
            else if (group.Table == Tables.Aggregates && group.Kind == WriteKind.Upsert)
            {
                batch.BatchCommands.Add(StampedDocuments(group));
            }
            else
            {
                AddWrites(batch, group);
            }
        }
        batch.BatchCommands.Add(new NpgsqlBatchCommand(logged
            ? "SELECT currval('command_log_order') AS last_seq, pg_current_xact_id()::text AS own_tx"
            : "SELECT 0::bigint AS last_seq, pg_current_xact_id()::text AS own_tx"));
        var commit = new NpgsqlBatchCommand("COMMIT");
        batch.BatchCommands.Add(commit);
        if (thenFeedFrom is { } from)
        {
            batch.BatchCommands.Add(FeedCommand(from));
        }
        var commitAt = batch.BatchCommands.IndexOf(commit);
        long lastSeq = 0;
        ulong tx = 0;
        Feed? feed = null;
        try
        {
            using var reader = batch.ExecuteReader();
            do
            {
                if (reader.FieldCount == 0)
                {
                    continue;
                }
                switch (reader.GetName(0))
                {
                    case "last_seq":
                        reader.Read();
                        lastSeq = reader.GetInt64(0);
                        tx = ulong.Parse(reader.GetString(1), CultureInfo.InvariantCulture);
                        break;
                    case "feed_xmin":
                        feed = ReadFeed(reader);
                        break;
                }
            }
            while (reader.NextResult());
        }
        catch (PostgresException e) when (IsConflict(e) && (e.BatchCommand is not { } failed || batch.BatchCommands.IndexOf(failed) < commitAt))
        {
            throw new StaleClaimException(e.SqlState == ClaimConflict ? e.MessageText.Split('\n') : [], e);
        }
        catch (PostgresException e) when (e.BatchCommand is { } failed && batch.BatchCommands.IndexOf(failed) > commitAt)
        {
            return new ClaimedCommit(lastSeq, tx, null); // committed; only the feed read after it failed
        }
        return new ClaimedCommit(lastSeq, tx, feed);
    }

    /// <summary>The SQLSTATE <c>inmail_claim</c> raises for a stale claim.</summary>
    private const string ClaimConflict = "IM409";

    /// <summary>A claim that found a change, or a row written by another process between the batch's reads and its writes (a unique key, a serialisation failure, a deadlock): the batch runs again.</summary>
    private static bool IsConflict(PostgresException e) => e.SqlState is ClaimConflict or PostgresErrorCodes.UniqueViolation
        or PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected;

    /// <summary>The batch's log rows, their seq from <c>command_log_order</c> in the order the batch applied them.</summary>
    private static NpgsqlBatchCommand OrderedLogInsert(Bulk.Group group) => new(
        "INSERT INTO command_log (at, actor, idempotency_key, command, touched, message_numbers) " +
        "SELECT at, actor, idempotency_key, command, touched, message_numbers " +
        "FROM unnest($1::bigint[], $2::timestamptz[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[]) " +
        "AS u(o, at, actor, idempotency_key, command, touched, message_numbers) ORDER BY o")
    {
        Parameters =
        {
            new NpgsqlParameter { Value = group.Rows.Select(r => Convert.ToInt64(r[0], CultureInfo.InvariantCulture)).ToArray() },
            new NpgsqlParameter { Value = group.Rows.Select(r => (DateTimeOffset)r[1]!).ToArray() },
            new NpgsqlParameter { Value = group.Rows.Select(r => (string)r[2]!).ToArray() },
            new NpgsqlParameter { Value = group.Rows.Select(r => r[3] as string).ToArray() },
            new NpgsqlParameter { Value = group.Rows.Select(r => (string)r[4]!).ToArray() },
            new NpgsqlParameter { Value = group.Rows.Select(r => r[5] as string).ToArray() },
            new NpgsqlParameter { Value = group.Rows.Select(r => r[6] as string).ToArray() },
        },
    };

    /// <summary>The batch's documents, each stamped with the batch's last log seq (its version, decision 017).</summary>
    private static NpgsqlBatchCommand StampedDocuments(Bulk.Group group) => new(
        "INSERT INTO aggregates (key, seq, doc) SELECT k, currval('command_log_order'), d FROM unnest($1::text[], $2::text[]) AS u(k, d) " +
        "ON CONFLICT (key) DO UPDATE SET seq = excluded.seq, doc = excluded.doc")
    {
        Parameters =
        {
            new NpgsqlParameter { Value = group.Rows.Select(r => (string)r[0]!).ToArray() },
            new NpgsqlParameter { Value = group.Rows.Select(r => (string)r[2]!).ToArray() },
        },
    };

    /// <summary>
    /// The feed (decision 017): the oldest transaction still running, and the log rows of transactions at or above
    /// <paramref name="from"/>, in one snapshot. Every transaction below that oldest one has ended, so its rows are
    /// all here or were in an earlier read: a reader that moves its bound up to it sees every commit exactly once,
    /// in whatever order commits end. Rows at or above it may come again in the next read.
    /// </summary>
    private static NpgsqlBatchCommand FeedCommand(ulong from) => new(
        "WITH s AS (SELECT pg_snapshot_xmin(pg_current_snapshot()) AS x) " +
        "SELECT s.x::text AS feed_xmin, l.seq, l.at, l.touched, l.tx::text FROM s LEFT JOIN command_log l ON l.tx >= $1::text::xid8 ORDER BY l.seq")
    {
        Parameters = { new NpgsqlParameter { Value = from.ToString(CultureInfo.InvariantCulture) } },
    };

    private static Feed ReadFeed(DbDataReader reader)
    {
        ulong xmin = 0;
        var rows = new List<FeedRow>();
        while (reader.Read())
        {
            xmin = ulong.Parse(reader.GetString(0), CultureInfo.InvariantCulture);
            if (!reader.IsDBNull(1))
            {
                rows.Add(new FeedRow(reader.GetInt64(1), reader.GetFieldValue<DateTimeOffset>(2), reader.IsDBNull(3) ? null : reader.GetString(3),
                    ulong.Parse(reader.GetString(4), CultureInfo.InvariantCulture)));
            }
        }
        return new Feed(xmin, rows);
    }

    /// <summary>Reads the feed from <paramref name="from"/> on <paramref name="connection"/> (outside any transaction).</summary>
    public static Feed ReadFeed(DbConnection connection, ulong from)
    {
        using var batch = new NpgsqlBatch((NpgsqlConnection)connection);
        batch.BatchCommands.Add(FeedCommand(from));
        using var reader = batch.ExecuteReader();
        return ReadFeed(reader);
    }

    /// <summary>
    /// Where a process starts reading the feed: the oldest transaction running now. Also moves the log's and the
    /// message numbers' sequences past what was written without them (a generated history, a database written by
    /// a single writer before decision 017); a sequence already past it, as it is whenever a server has written, is
    /// left alone, so this never moves one back under another server.
    /// </summary>
    public static ulong StartFeed(DbConnection connection)
    {
        using var command = Command(connection, null, """
            SELECT setval('command_log_order', m) FROM (SELECT max(seq) AS m FROM command_log) x
                WHERE m > (SELECT last_value - CASE WHEN is_called THEN 0 ELSE 1 END FROM command_log_order);
            SELECT setval('message_number_blocks', b) FROM (SELECT ((doc::jsonb ->> 'msg')::bigint + 999) / 1000 - 1 AS b FROM aggregates WHERE key = 'x:ids') x
                WHERE b > (SELECT last_value - CASE WHEN is_called THEN 0 ELSE 1 END FROM message_number_blocks);
            SELECT pg_snapshot_xmin(pg_current_snapshot())::text;
            """);
        using var reader = command.ExecuteReader();
        while (reader.FieldCount != 1 || reader.GetName(0) != "pg_snapshot_xmin")
        {
            if (!reader.NextResult())
            {
                throw new InvalidOperationException("the feed's start was not read");
            }
        }
        reader.Read();
        return ulong.Parse(reader.GetString(0), CultureInfo.InvariantCulture);
    }

    /// <summary>The next block of 1,000 message numbers (decision 017): block b names msg-(1000b+1) … msg-(1000b+1000).</summary>
    public long NextMessageBlock()
    {
        using var connection = _source.OpenConnection();
        using var command = Command(connection, null, "SELECT nextval('message_number_blocks')");
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    public override void Abort(DbConnection connection)
    {
        try
        {
            if (connection.State == System.Data.ConnectionState.Open)
            {
                using var rollback = Command(connection, null, "ROLLBACK"); // outside a transaction, only a warning
                rollback.ExecuteNonQuery();
            }
        }
#pragma warning disable CA1031 // A connection that cannot even roll back is closed, and the store's rebuild opens a new one.
        catch (Exception)
#pragma warning restore CA1031
        {
            connection.Close();
        }
    }

    public override DateTimeOffset ReadInstant(DbDataReader reader, int ordinal) => reader.GetFieldValue<DateTimeOffset>(ordinal);

    public override async ValueTask DisposeAsync() => await _source.DisposeAsync().ConfigureAwait(false);

    private static Dictionary<string, Dictionary<string, string>> ReadColumnTypes(NpgsqlConnection connection)
    {
        using var command = Command(connection, null,
            "SELECT table_name, column_name, udt_name FROM information_schema.columns WHERE table_schema = current_schema()");
        using var reader = command.ExecuteReader();
        var types = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
        while (reader.Read())
        {
            var table = reader.GetString(0);
            if (!types.TryGetValue(table, out var columns))
            {
                types[table] = columns = new Dictionary<string, string>(StringComparer.Ordinal);
            }
            columns[reader.GetString(1)] = reader.GetString(2);
        }
        return types;
    }
}

/// <summary>
/// Turns a batch's writes into one statement per table and kind, with the same end state as
/// running them one by one: for upserts and deletes only the last write of each key counts (an
/// upsert writes every column), and of appends to the same key only the first (later ones did
/// nothing). Order between tables does not matter (no foreign keys); a table whose writes mix
/// appends with upserts or deletes keeps them one by one, in order.
/// </summary>
internal static class Bulk
{
    public sealed record Group(Table Table, WriteKind Kind, List<object?[]> Rows);

    public static List<Group> Plan(IReadOnlyList<Write> writes)
    {
        var byTable = new Dictionary<Table, List<Write>>();
        var order = new List<Table>();
        foreach (var write in writes)
        {
            if (!byTable.TryGetValue(write.Table, out var list))
            {
                byTable[write.Table] = list = [];
                order.Add(write.Table);
            }
            list.Add(write);
        }
        var groups = new List<Group>();
        foreach (var table in order)
        {
            var list = byTable[table];
            var appends = list.Count(w => w.Kind == WriteKind.Append);
            if (appends > 0 && appends < list.Count)
            {
                groups.AddRange(list.Select(w => new Group(table, w.Kind, [w.Row]))); // mixed: one by one, in order
                continue;
            }
            var last = new Dictionary<string, Write>(StringComparer.Ordinal);
            var keys = new List<string>();
            foreach (var write in list)
            {
                var key = Key(table, write.Row);
                if (!last.ContainsKey(key))
                {
                    keys.Add(key);
                }
                else if (write.Kind == WriteKind.Append)
                {
                    continue; // the first append of a key is the one that lands
                }
                last[key] = write;
            }
            foreach (var kind in new[] { WriteKind.Delete, WriteKind.Upsert, WriteKind.Append })
            {
                var rows = keys.Select(k => last[k]).Where(w => w.Kind == kind).Select(w => w.Row).ToList();
                if (rows.Count > 0)
                {
                    groups.Add(new Group(table, kind, rows));
                }
            }
        }
        return groups;
    }

    /// <summary>The statement for a group of rows, or null when a column's type is not one this knows (the rows then go one by one).</summary>
    public static NpgsqlBatchCommand? Statement(Group group, Dictionary<string, Dictionary<string, string>> types)
    {
        var table = group.Table;
        if (!types.TryGetValue(table.Name, out var columnTypes))
        {
            return null;
        }
        var columns = group.Kind == WriteKind.Delete ? table.Keys : table.Columns;
        var command = new NpgsqlBatchCommand();
        var casts = new List<string>(columns.Count);
        for (var c = 0; c < columns.Count; c++)
        {
            if (!columnTypes.TryGetValue(columns[c], out var type) || ColumnArray(type, group.Rows, c) is not { } values)
            {
                return null;
            }
            command.Parameters.Add(new NpgsqlParameter { Value = values });
            casts.Add($"${c + 1}::{type}[]");
        }
        var unnest = $"SELECT * FROM unnest({string.Join(", ", casts)})";
        var names = string.Join(", ", columns);
        var keys = string.Join(", ", table.Keys);
        command.CommandText = group.Kind switch
        {
            WriteKind.Delete => $"DELETE FROM {table.Name} WHERE ({keys}) IN ({unnest})",
            WriteKind.Upsert when table.Values.Count > 0 =>
                $"INSERT INTO {table.Name} ({names}) {unnest} ON CONFLICT ({keys}) DO UPDATE SET {string.Join(", ", table.Values.Select(v => $"{v} = excluded.{v}"))}",
            _ => $"INSERT INTO {table.Name} ({names}) {unnest} ON CONFLICT ({keys}) DO NOTHING",
        };
        return command;
    }

    /// <summary>
    /// Column <paramref name="c"/> of the rows as an array of the CLR type Npgsql writes as
    /// <paramref name="type"/>[], or null if a value is of another type (the rows then go one by one).
    /// </summary>
    private static Array? ColumnArray(string type, List<object?[]> rows, int c)
    {
        return type switch
        {
            "text" => Text(rows, c),
            "timestamptz" => Values<DateTimeOffset>(rows, c),
            "bool" => Values<bool>(rows, c),
            "int4" => Values<int>(rows, c),
            "int8" => Values<long>(rows, c) ?? Widened(rows, c),
            _ => null,
        };
    }

    private static string?[]? Text(List<object?[]> rows, int c)
    {
        var values = new string?[rows.Count];
        for (var i = 0; i < rows.Count; i++)
        {
            switch (rows[i][c])
            {
                case null: break;
                case string v: values[i] = v; break;
                default: return null;
            }
        }
        return values;
    }

    private static T?[]? Values<T>(List<object?[]> rows, int c)
        where T : struct
    {
        var values = new T?[rows.Count];
        for (var i = 0; i < rows.Count; i++)
        {
            switch (rows[i][c])
            {
                case null: break;
                case T v: values[i] = v; break;
                default: return null;
            }
        }
        return values;
    }

    // A BIGINT column may be given ints (lot numbers, positions); Npgsql widens them one by one, and so does this.
    private static long?[]? Widened(List<object?[]> rows, int c)
    {
        var values = new long?[rows.Count];
        for (var i = 0; i < rows.Count; i++)
        {
            switch (rows[i][c])
            {
                case null: break;
                case long v: values[i] = v; break;
                case int v: values[i] = v; break;
                default: return null;
            }
        }
        return values;
    }

    private static string Key(Table table, object?[] row)
    {
        if (table.Keys.Count == 1)
        {
            return Convert.ToString(row[0], CultureInfo.InvariantCulture) ?? "";
        }
        return string.Join('\u001f', row.Take(table.Keys.Count).Select(v => Convert.ToString(v, CultureInfo.InvariantCulture)));
    }
}
