using System.Data.Common;
using System.Globalization;
using InMail.Integration.Tests.Api;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace InMail.Integration.Tests.Process;

/// <summary>Reads the projection tables directly, beside the server, to check they agree with what the API says.</summary>
public sealed class Tables(Database database, string connection)
{
    public Database Database => database;

    /// <summary>The server's <c>--InMail:…</c> argument for this database.</summary>
    public string ServerArgument => database == Database.Postgres ? $"--InMail:Postgres={connection}" : $"--InMail:Sqlite={connection}";

    public static Tables Sqlite(string path) => new(Database.Sqlite, path);

    public static Tables Postgres(string connectionString) => new(Database.Postgres, connectionString);

    private async Task<DbConnection> OpenAsync()
    {
        DbConnection c = database == Database.Postgres
            ? new NpgsqlConnection(connection)
            : new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = connection, Pooling = false }.ToString());
        await c.OpenAsync(TestContext.Current.CancellationToken);
        return c;
    }

    /// <summary>Every row of the query, each column as invariant text (null as "∅").</summary>
    public async Task<List<string[]>> RowsAsync(string sql, params (string Name, object Value)[] parameters)
    {
        await using var c = await OpenAsync();
        await using var command = c.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var p = command.CreateParameter();
            p.ParameterName = name;
            p.Value = value;
            command.Parameters.Add(p);
        }
        await using var reader = await command.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        var rows = new List<string[]>();
        while (await reader.ReadAsync(TestContext.Current.CancellationToken))
        {
            var row = new string[reader.FieldCount];
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = reader.IsDBNull(i) ? "∅" : Convert.ToString(reader.GetValue(i) is DateTime t ? t.ToString("O", CultureInfo.InvariantCulture) : reader.GetValue(i), CultureInfo.InvariantCulture) ?? "";
            }
            rows.Add(row);
        }
        return rows;
    }

    public async Task<long> ScalarAsync(string sql, params (string Name, object Value)[] parameters)
    {
        var rows = await RowsAsync(sql, parameters);
        var value = Assert.Single(rows)[0];
        return value == "∅" ? 0 : long.Parse(value, CultureInfo.InvariantCulture);
    }

    /// <summary>Every table the service writes, sorted, as one text: equal texts mean equal databases.</summary>
    public async Task<string> DumpAsync()
    {
        var names = database == Database.Postgres
            ? await RowsAsync("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name")
            : await RowsAsync("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name");
        var dump = new System.Text.StringBuilder();
        foreach (var table in names.Select(n => n[0]))
        {
            var rows = (await RowsAsync($"SELECT * FROM {table}")).Select(r => string.Join(" | ", r)).Order(StringComparer.Ordinal).ToList();
            dump.Append("== ").Append(table).Append(' ').Append(rows.Count).AppendLine();
            foreach (var row in rows)
            {
                dump.AppendLine(row);
            }
        }
        return dump.ToString();
    }
}
