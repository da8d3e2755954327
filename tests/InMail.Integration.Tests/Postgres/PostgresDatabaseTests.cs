using System.Globalization;
using Npgsql;

namespace InMail.Integration.Tests.Postgres;

public sealed class PostgresDatabaseTests
{
    [Fact]
    public async Task A_fresh_database_answers_queries_on_PostgreSQL_15_or_later()
    {
        PostgresDatabase.RequireOrSkip();
        var cancellationToken = TestContext.Current.CancellationToken;

        var connectionString = await PostgresDatabase.CreateFreshDatabaseAsync();

        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var query = new NpgsqlCommand("SELECT 1, current_database(), current_setting('server_version')", connection);
        await using var reader = await query.ExecuteReaderAsync(cancellationToken);
        Assert.True(await reader.ReadAsync(cancellationToken));
        Assert.Equal(1, reader.GetInt32(0));
        Assert.Matches("^inmail_t_[0-9a-f]{32}$", reader.GetString(1));
        var serverVersion = reader.GetString(2);
        var major = int.Parse(serverVersion.Split('.', ' ')[0], NumberStyles.None, CultureInfo.InvariantCulture);
        Assert.True(major >= 15, $"server_version is {serverVersion}; the storage needs PostgreSQL 15 or later");
    }
}
