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

    public bool IsPostgres => !string.IsNullOrWhiteSpace(PostgresConnectionString);
}

/// <summary>The differences between the two databases, and nothing else: the store's logic is shared.</summary>
internal abstract class Backend : IAsyncDisposable
{
    public abstract string Dialect { get; }

    /// <summary>True when other processes may write the same database, so reads must look for their commands first.</summary>
    public abstract bool Shared { get; }

    /// <summary>Opens a new connection (the writer keeps its own for its lifetime).</summary>
    public abstract DbConnection Open();

    /// <summary>Starts a write transaction that excludes every other writer of the database until it ends.</summary>
    public abstract DbTransaction BeginExclusive(DbConnection connection);

    /// <summary>Carries out the writes, in order, inside <paramref name="tx"/>.</summary>
    public abstract void Execute(DbConnection connection, DbTransaction tx, IReadOnlyList<Write> writes);

    public abstract DateTimeOffset ReadInstant(DbDataReader reader, int ordinal);

    public virtual ValueTask DisposeAsync() => ValueTask.CompletedTask;

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

    // Microsoft.Data.Sqlite begins with BEGIN IMMEDIATE: the write lock is taken at once.
    public override DbTransaction BeginExclusive(DbConnection connection) => ((SqliteConnection)connection).BeginTransaction(deferred: false);

    public override void Execute(DbConnection connection, DbTransaction tx, IReadOnlyList<Write> writes)
    {
        var sqlite = (SqliteConnection)connection;
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
            command.Transaction = (SqliteTransaction)tx;
            for (var i = 0; i < write.Row.Length; i++)
            {
                command.Parameters[i].Value = ToDb(write.Row[i]);
            }
            command.ExecuteNonQuery();
        }
    }

    public override DateTimeOffset ReadInstant(DbDataReader reader, int ordinal) => ParseInstant(reader.GetString(ordinal));

    /// <summary>Instants are stored as ISO-8601 UTC text, which sorts in time order.</summary>
    public static string FormatInstant(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    public static DateTimeOffset ParseInstant(string text) =>
        DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

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

    public PostgresBackend(string connectionString) => _source = NpgsqlDataSource.Create(connectionString);

    public override string Dialect => "postgres";

    public override bool Shared => true;

    public override DbConnection Open() => _source.OpenConnection();

    public override DbTransaction BeginExclusive(DbConnection connection)
    {
        var tx = connection.BeginTransaction();
        using var command = Command(connection, tx, $"SELECT pg_advisory_xact_lock({WriterLock})");
        command.ExecuteNonQuery();
        return tx;
    }

    public override void Execute(DbConnection connection, DbTransaction tx, IReadOnlyList<Write> writes)
    {
        if (writes.Count == 0)
        {
            return;
        }
        // One round trip for the whole batch: the statements are pipelined, not sent one by one.
        using var batch = new NpgsqlBatch((NpgsqlConnection)connection, (NpgsqlTransaction)tx);
        foreach (var write in writes)
        {
            var command = new NpgsqlBatchCommand(write.Table.Sql(write.Kind, positional: true));
            foreach (var value in write.Row)
            {
                command.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value });
            }
            batch.BatchCommands.Add(command);
        }
        batch.ExecuteNonQuery();
    }

    public override DateTimeOffset ReadInstant(DbDataReader reader, int ordinal) => reader.GetFieldValue<DateTimeOffset>(ordinal);

    public override async ValueTask DisposeAsync() => await _source.DisposeAsync().ConfigureAwait(false);
}
