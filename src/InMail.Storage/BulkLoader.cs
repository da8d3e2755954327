using System.Data.Common;
using InMail.Storage.Projection;
using Microsoft.Data.Sqlite;
using Npgsql;
using NpgsqlTypes;

namespace InMail.Storage;

/// <summary>
/// Writes rows the projection, the codec and the log produced into an EMPTY database as fast as the
/// database takes them (issue 9's history generator, decision 008): PostgreSQL through binary COPY,
/// SQLite through prepared INSERTs in one large transaction per call, with synchronous=OFF while it
/// loads (the file is synced and checkpointed at <see cref="Finish"/>). The schema is the migrations'
/// own, applied first, constraints and indexes included: a row the store would refuse is refused
/// here too. Every row is a plain insert (upserts and appends alike): the database starts empty and
/// the generator writes each key once, so a duplicate is a bug and fails the load.
/// </summary>
public sealed class BulkLoader : IDisposable
{
    private readonly Backend _backend;
    private readonly DbConnection _connection;
    private readonly Dictionary<string, Dictionary<string, string>> _types;
    private readonly Dictionary<Table, SqliteCommand> _inserts = [];

    private BulkLoader(Backend backend, DbConnection connection, Dictionary<string, Dictionary<string, string>> types)
    {
        _backend = backend;
        _connection = connection;
        _types = types;
    }

    /// <summary>
    /// Creates and migrates the database (the store's <see cref="MigrationRunner"/>), and refuses one
    /// that already holds commands: a generated history is the whole of a database.
    /// </summary>
    public static BulkLoader Open(StoreOptions options, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(options);
        var backend = Backend.Create(options);
        DbConnection? connection = null;
        try
        {
            connection = backend.Open();
            MigrationRunner.Apply(connection, backend.Dialect, now);
            if (backend.LogTail(connection).Seq != 0)
            {
                throw new InvalidOperationException("the database already holds commands; generate into an empty database");
            }
            var types = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
            if (backend.Dialect == "sqlite")
            {
                foreach (var pragma in new[] { "PRAGMA synchronous=OFF", "PRAGMA cache_size=-1048576", "PRAGMA temp_store=MEMORY", "PRAGMA foreign_keys=OFF" })
                {
                    using var command = connection.CreateCommand();
                    command.CommandText = pragma;
                    command.ExecuteNonQuery();
                }
            }
            else
            {
                using var command = connection.CreateCommand();
                command.CommandText = "SELECT table_name, column_name, udt_name FROM information_schema.columns WHERE table_schema = current_schema()";
                using var reader = command.ExecuteReader();
                while (reader.Read())
                {
                    if (!types.TryGetValue(reader.GetString(0), out var columns))
                    {
                        types[reader.GetString(0)] = columns = new Dictionary<string, string>(StringComparer.Ordinal);
                    }
                    columns[reader.GetString(1)] = reader.GetString(2);
                }
            }
            return new BulkLoader(backend, connection, types);
        }
        catch
        {
            connection?.Dispose();
            backend.DisposeAsync().AsTask().GetAwaiter().GetResult();
            throw;
        }
    }

    /// <summary>"sqlite" or "postgres".</summary>
    public string Dialect => _backend.Dialect;

    /// <summary>Inserts the rows, in one transaction. Deletes are not expected in a generated database and are refused.</summary>
    public void Load(IReadOnlyList<Write> writes)
    {
        ArgumentNullException.ThrowIfNull(writes);
        var byTable = new Dictionary<Table, List<object?[]>>();
        var order = new List<Table>();
        foreach (var write in writes)
        {
            if (write.Kind == WriteKind.Delete)
            {
                throw new InvalidOperationException($"a bulk load inserts rows; it was given a delete from {write.Table.Name}");
            }
            if (!byTable.TryGetValue(write.Table, out var rows))
            {
                byTable[write.Table] = rows = [];
                order.Add(write.Table);
            }
            rows.Add(write.Row);
        }
        foreach (var (table, rows) in byTable)
        {
            // In key order: rows whose keys sort together land on neighbouring index pages.
            var keys = table.Keys.Count;
            rows.Sort((a, b) =>
            {
                for (var i = 0; i < keys; i++)
                {
                    var c = (a[i], b[i]) switch
                    {
                        (string x, string y) => string.CompareOrdinal(x, y),
                        (long x, long y) => x.CompareTo(y),
                        (int x, int y) => x.CompareTo(y),
                        var (x, y) => Convert.ToInt64(x, System.Globalization.CultureInfo.InvariantCulture).CompareTo(Convert.ToInt64(y, System.Globalization.CultureInfo.InvariantCulture)),
                    };
                    if (c != 0)
                    {
                        return c;
                    }
                }
                return 0;
            });
        }
        if (_backend.Dialect == "sqlite")
        {
            LoadSqlite(order, byTable);
        }
        else
        {
            LoadPostgres(order, byTable);
        }
    }

    private void LoadSqlite(List<Table> order, Dictionary<Table, List<object?[]>> byTable)
    {
        var sqlite = (SqliteConnection)_connection;
        using var tx = sqlite.BeginTransaction(deferred: false);
        foreach (var table in order)
        {
            if (!_inserts.TryGetValue(table, out var insert))
            {
                insert = sqlite.CreateCommand();
                insert.CommandText = $"INSERT INTO {table.Name} ({string.Join(", ", table.Columns)}) VALUES ({string.Join(", ", table.Columns.Select((_, i) => $"@p{i}"))})";
                for (var i = 0; i < table.Columns.Count; i++)
                {
                    insert.Parameters.Add(new SqliteParameter($"@p{i}", null));
                }
                _inserts.Add(table, insert);
            }
            insert.Transaction = tx;
            foreach (var row in byTable[table])
            {
                for (var i = 0; i < row.Length; i++)
                {
                    insert.Parameters[i].Value = row[i] switch
                    {
                        null => DBNull.Value,
                        DateTimeOffset t => SqliteBackend.FormatInstant(t),
                        bool b => b ? 1L : 0L,
                        var v => v,
                    };
                }
                insert.ExecuteNonQuery();
            }
        }
        tx.Commit();
    }

    private void LoadPostgres(List<Table> order, Dictionary<Table, List<object?[]>> byTable)
    {
        var npgsql = (NpgsqlConnection)_connection;
        using var tx = npgsql.BeginTransaction();
        foreach (var table in order)
        {
            var columnTypes = _types[table.Name];
            var types = table.Columns.Select(c => DbType(columnTypes[c])).ToArray();
            using (var importer = npgsql.BeginBinaryImport($"COPY {table.Name} ({string.Join(", ", table.Columns)}) FROM STDIN (FORMAT BINARY)"))
            {
                foreach (var row in byTable[table])
                {
                    importer.StartRow();
                    for (var i = 0; i < row.Length; i++)
                    {
                        switch (row[i])
                        {
                            case null: importer.WriteNull(); break;
                            case int v when types[i] == NpgsqlDbType.Bigint: importer.Write((long)v, types[i]); break;
                            case var v: importer.Write(v, types[i]); break;
                        }
                    }
                }
                importer.Complete();
            }
        }
        tx.Commit();
    }

    private static NpgsqlDbType DbType(string udt) => udt switch
    {
        "text" => NpgsqlDbType.Text,
        "timestamptz" => NpgsqlDbType.TimestampTz,
        "bool" => NpgsqlDbType.Boolean,
        "int4" => NpgsqlDbType.Integer,
        "int8" => NpgsqlDbType.Bigint,
        _ => throw new InvalidOperationException($"the bulk loader does not know the PostgreSQL type {udt}"),
    };

    /// <summary>Makes the load durable and gives the planner statistics: a checkpoint and a sync on SQLite, ANALYZE on both.</summary>
    public void Finish()
    {
        var statements = _backend.Dialect == "sqlite"
            ? new[] { "ANALYZE", "PRAGMA synchronous=FULL", "PRAGMA wal_checkpoint(TRUNCATE)" }
            : ["ANALYZE"];
        foreach (var sql in statements)
        {
            using var command = _connection.CreateCommand();
            command.CommandText = sql;
            command.CommandTimeout = 0;
            command.ExecuteNonQuery();
        }
    }

    public void Dispose()
    {
        foreach (var insert in _inserts.Values)
        {
            insert.Dispose();
        }
        _inserts.Clear();
        _connection.Dispose();
        _backend.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }
}
