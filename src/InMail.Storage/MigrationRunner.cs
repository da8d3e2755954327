using System.Data.Common;
using System.Globalization;
using System.Reflection;

namespace InMail.Storage;

/// <summary>
/// Applies the numbered SQL migrations embedded in this assembly (<c>NNNN_name.dialect.sql</c>) that
/// a database has not had yet, in order, each in its own transaction, and records each in
/// <c>schema_migrations</c>. Running it again applies nothing. There is no down migration: a schema
/// change that needs undoing is a new migration.
/// </summary>
public static class MigrationRunner
{
    private const string Prefix = "InMail.Storage.Migrations.";

    /// <summary>The migrations for a dialect (<c>sqlite</c>, <c>postgres</c>), ordered by version.</summary>
    public static IReadOnlyList<(int Version, string Name, string Sql)> For(string dialect)
    {
        var assembly = typeof(MigrationRunner).Assembly;
        var suffix = $".{dialect}.sql";
        var found = new List<(int, string, string)>();
        foreach (var resource in assembly.GetManifestResourceNames().Where(r => r.StartsWith(Prefix, StringComparison.Ordinal) && r.EndsWith(suffix, StringComparison.Ordinal)))
        {
            var file = resource[Prefix.Length..^suffix.Length];
            var underscore = file.IndexOf('_', StringComparison.Ordinal);
            if (underscore <= 0 || !int.TryParse(file[..underscore], NumberStyles.None, CultureInfo.InvariantCulture, out var version))
            {
                throw new InvalidOperationException($"migration '{resource}' is not named NNNN_name{suffix}");
            }
            found.Add((version, file[(underscore + 1)..], Read(assembly, resource)));
        }
        var ordered = found.OrderBy(m => m.Item1).ToList();
        if (ordered.Select(m => m.Item1).Distinct().Count() != ordered.Count)
        {
            throw new InvalidOperationException($"two {dialect} migrations share a version number");
        }
        return ordered;
    }

    /// <summary>Applies what is missing; returns the versions applied now.</summary>
    public static IReadOnlyList<int> Apply(DbConnection connection, string dialect, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(connection);
        if (dialect == "postgres")
        {
            // Two servers starting at once: the second waits, then finds nothing left to apply.
            Execute(connection, null, "SELECT pg_advisory_lock(4242)");
            try
            {
                return ApplyMissing(connection, dialect, now);
            }
            finally
            {
                Execute(connection, null, "SELECT pg_advisory_unlock(4242)");
            }
        }
        return ApplyMissing(connection, dialect, now);
    }

    private static List<int> ApplyMissing(DbConnection connection, string dialect, DateTimeOffset now)
    {
        Execute(connection, null, "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)");
        var applied = new HashSet<int>();
        using (var read = connection.CreateCommand())
        {
            read.CommandText = "SELECT version FROM schema_migrations";
            using var reader = read.ExecuteReader();
            while (reader.Read())
            {
                applied.Add(reader.GetInt32(0));
            }
        }
        var appliedAt = now.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);
        var done = new List<int>();
        foreach (var (version, name, sql) in For(dialect).Where(m => !applied.Contains(m.Version)))
        {
            using var tx = connection.BeginTransaction();
            Execute(connection, tx, sql);
            using (var record = connection.CreateCommand())
            {
                record.Transaction = tx;
                record.CommandText = "INSERT INTO schema_migrations (version, name, applied_at) VALUES (" + (dialect == "postgres" ? "$1, $2, $3" : "@v, @n, @a") + ")";
                AddParameter(record, dialect == "postgres" ? "" : "@v", version);
                AddParameter(record, dialect == "postgres" ? "" : "@n", name);
                AddParameter(record, dialect == "postgres" ? "" : "@a", appliedAt);
                record.ExecuteNonQuery();
            }
            tx.Commit();
            done.Add(version);
        }
        return done;
    }

    private static void Execute(DbConnection connection, DbTransaction? tx, string sql)
    {
        using var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static void AddParameter(DbCommand command, string name, object value)
    {
        var p = command.CreateParameter();
        p.ParameterName = name;
        p.Value = value;
        command.Parameters.Add(p);
    }

    private static string Read(Assembly assembly, string resource)
    {
        using var stream = assembly.GetManifestResourceStream(resource)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
