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
    /// Decision 016: how many facts of sent InMails (about 130 bytes each) the Results page's cache keeps over all
    /// members, least recently read first out. A member with more is read whole on every view. 0 keeps none.
    /// </summary>
    public int OutreachCacheFacts { get; init; } = 500_000;

    /// <summary>Turns what an idempotent request answered into JSON, kept for a retry that finds its record out of memory.</summary>
    public Func<object, string?>? ResultJson { get; init; }

    /// <summary>Told when the writer recovers from a database failure on its own (the host logs it as a warning).</summary>
    public Action<string, Exception>? Warn { get; init; }

    public bool IsPostgres => !string.IsNullOrWhiteSpace(PostgresConnectionString);
}

/// <summary>A command as the log holds it.</summary>
internal sealed record LoggedCommand(long Seq, DateTimeOffset At, string Actor, string? Key, string Json, string? Touched);

/// <summary>The differences between the two databases, and nothing else: the store's logic is shared.</summary>
internal abstract class Backend : IAsyncDisposable
{
    /// <summary>The log's columns, in the order <see cref="ReadLoggedCommands"/> reads them.</summary>
    protected const string LogColumns = "seq, at, actor, idempotency_key, command, touched";

    public abstract string Dialect { get; }

    /// <summary>True when other processes may write the same database, so reads must look for their commands first.</summary>
    public abstract bool Shared { get; }

    /// <summary>Opens a new connection (the writer keeps its own for its lifetime).</summary>
    public abstract DbConnection Open();

    /// <summary>
    /// Starts the writer's transaction on <paramref name="connection"/>, which excludes every other
    /// writer of the database until it ends, and returns the commands logged after
    /// <paramref name="after"/> (by another process), read inside it once the exclusion is held.
    /// </summary>
    public abstract List<LoggedCommand> BeginExclusive(DbConnection connection, long after);

    /// <summary>
    /// Carries out the writes, in order, in the transaction <see cref="BeginExclusive"/> started, and
    /// commits it: when this returns, they are durable (and if it throws, they were not committed, or
    /// as far as this process can tell were not). With <paramref name="thenBeginAfter"/>, a backend
    /// that can (<see cref="CanChain"/>) also begins the next transaction in the same round trip and
    /// returns what <see cref="BeginExclusive"/> would have; null when it did not begin one.
    /// </summary>
    public abstract List<LoggedCommand>? Commit(DbConnection connection, IReadOnlyList<Write> writes, long? thenBeginAfter = null);

    /// <summary>True when <see cref="Commit"/> can begin the next transaction in the round trip that commits (worth it when round trips cost).</summary>
    public virtual bool CanChain => false;

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
                reader.IsDBNull(3) ? null : reader.GetString(3), reader.GetString(4), reader.IsDBNull(5) ? null : reader.GetString(5)));
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
        options.IsPostgres ? new PostgresBackend(options.PostgresConnectionString!) : new SqliteBackend(options.SqlitePath);

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

    public SqliteBackend(string path)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        _connectionString = new SqliteConnectionStringBuilder { DataSource = full, Pooling = false, DefaultTimeout = 30 }.ToString();
    }

    public override string Dialect => "sqlite";

    public override bool Shared => false;

    public override DbConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        // WAL lets readers (and a backup) run beside the writer; FULL makes every commit durable.
        foreach (var pragma in new[] { "PRAGMA journal_mode=WAL", "PRAGMA synchronous=FULL", "PRAGMA busy_timeout=30000", "PRAGMA foreign_keys=ON" })
        {
            using var command = Command(connection, null, pragma);
            command.ExecuteNonQuery();
        }
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

    public override List<LoggedCommand>? Commit(DbConnection connection, IReadOnlyList<Write> writes, long? thenBeginAfter = null)
    {
        var tx = _tx ?? throw new InvalidOperationException("no write transaction is open");
        Execute((SqliteConnection)connection, tx, writes);
        tx.Commit();
        tx.Dispose();
        _tx = null;
        return null;
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
        foreach (var c in _prepared.Values)
        {
            c.Dispose();
        }
        _prepared.Clear();
        return ValueTask.CompletedTask;
    }
}

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

    public override bool Shared => true;

    public override DbConnection Open() => _source.OpenConnection();

    public override bool CanChain => true;

    /// <summary>
    /// One round trip: BEGIN, the writers' advisory lock, then the log after <paramref name="after"/>.
    /// The SELECT is a statement of its own after the lock's, so its snapshot (read committed) is taken
    /// once the lock is held and sees every command the previous holder committed.
    /// </summary>
    public override List<LoggedCommand> BeginExclusive(DbConnection connection, long after)
    {
        using var batch = new NpgsqlBatch((NpgsqlConnection)connection);
        AddBegin(batch, after, wait: true);
        return ReadRest(connection, ReadFirstChunk(batch)!);
    }

    /// <summary>
    /// BEGIN, the writers' lock, the log after <paramref name="after"/>. With <paramref name="wait"/>
    /// false the lock is only tried (<c>pg_try_advisory_xact_lock</c>): a commit that begins the next
    /// transaction must never wait for another server there, or a commit that went through could be
    /// reported as failed when that wait times out.
    /// </summary>
    private static void AddBegin(NpgsqlBatch batch, long after, bool wait)
    {
        batch.BatchCommands.Add(new NpgsqlBatchCommand("BEGIN"));
        batch.BatchCommands.Add(new NpgsqlBatchCommand(wait ? $"SELECT pg_advisory_xact_lock({WriterLock})" : $"SELECT pg_try_advisory_xact_lock({WriterLock})"));
        batch.BatchCommands.Add(new NpgsqlBatchCommand($"SELECT {LogColumns} FROM command_log WHERE seq > $1 ORDER BY seq LIMIT {LogChunk}")
        {
            Parameters = { new NpgsqlParameter { Value = after } },
        });
    }

    /// <summary>
    /// Runs a batch that ends with <see cref="AddBegin"/>'s statements, skips to the log's rows (BEGIN
    /// returns nothing, the lock one row of one column, writes nothing) and reads the first chunk;
    /// null when the lock was only tried and another server holds it.
    /// </summary>
    private List<LoggedCommand>? ReadFirstChunk(NpgsqlBatch batch)
    {
        var rows = new List<LoggedCommand>();
        using var reader = batch.ExecuteReader();
        var locked = true;
        while (reader.FieldCount != 6)
        {
            if (reader.FieldCount == 1 && reader.GetFieldType(0) == typeof(bool) && reader.Read())
            {
                locked = reader.GetBoolean(0);
            }
            if (!reader.NextResult())
            {
                throw new InvalidOperationException("the command log was not read");
            }
        }
        if (!locked)
        {
            return null;
        }
        ReadLoggedCommands(reader, rows);
        return rows;
    }

    /// <summary>The rest of the log after a full first chunk, in the transaction just begun.</summary>
    private List<LoggedCommand> ReadRest(DbConnection connection, List<LoggedCommand> rows) =>
        rows.Count < LogChunk ? rows : ReadLog(connection, null, rows[^1].Seq, rows);

    /// <summary>
    /// One round trip: the writes, one statement per table and kind (rows passed as arrays and
    /// unnested), then COMMIT, then, when asked, the next transaction's BEGIN, lock and log read.
    /// An error skips the rest: if it came before or at the COMMIT, this throws and
    /// <see cref="Abort"/> rolls back; if it came after, the batch is committed, the half-begun
    /// transaction is rolled back, and this returns null (the next batch begins on its own).
    /// </summary>
    public override List<LoggedCommand>? Commit(DbConnection connection, IReadOnlyList<Write> writes, long? thenBeginAfter = null)
    {
        var npgsql = (NpgsqlConnection)connection;
        _columnTypes ??= ReadColumnTypes(npgsql);
        using var batch = new NpgsqlBatch(npgsql);
        foreach (var group in Bulk.Plan(writes))
        {
            if (group.Rows.Count > 1 && Bulk.Statement(group, _columnTypes) is { } bulk)
            {
                batch.BatchCommands.Add(bulk);
                continue;
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
        var commit = new NpgsqlBatchCommand("COMMIT");
        batch.BatchCommands.Add(commit);
        if (thenBeginAfter is not { } after)
        {
            batch.ExecuteNonQuery();
            return null;
        }
        AddBegin(batch, after, wait: false);
        var commitAt = batch.BatchCommands.IndexOf(commit);
        List<LoggedCommand>? first;
        try
        {
            first = ReadFirstChunk(batch);
        }
        catch (PostgresException e) when (e.BatchCommand is { } failed && batch.BatchCommands.IndexOf(failed) > commitAt)
        {
            Abort(connection); // committed; only the next transaction failed to begin
            return null;
        }
        if (first is null)
        {
            Abort(connection); // committed; another server holds the lock, so the next batch begins (and waits) on its own
            return null;
        }
        try
        {
            return ReadRest(connection, first);
        }
#pragma warning disable CA1031 // Committed already: a failure here only means the next batch begins on its own.
        catch (Exception)
#pragma warning restore CA1031
        {
            Abort(connection);
            return null;
        }
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
