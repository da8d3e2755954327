using Npgsql;

namespace InMail.Integration.Tests.Postgres;

/// <summary>
/// The PostgreSQL server the tests run against: the connection string in <c>INMAIL_TEST_POSTGRES</c>,
/// which <c>./test.sh</c> sets to a throwaway cluster it starts (<c>scripts/postgres.sh</c>).
/// </summary>
public static class PostgresDatabase
{
    private const string Missing =
        "PostgreSQL tests need INMAIL_TEST_POSTGRES (a connection string); ./test.sh starts a throwaway cluster and sets it";

    /// <summary>The connection string to the test database, or null when none is configured.</summary>
    public static string? ConnectionString =>
        Environment.GetEnvironmentVariable("INMAIL_TEST_POSTGRES") is { Length: > 0 } value ? value : null;

    /// <summary>
    /// The connection string to the test database. Without one the calling test is skipped, except in CI
    /// (<c>CI=true</c>), where nothing may be skipped and the test fails instead.
    /// </summary>
    public static string RequireOrSkip()
    {
        var connectionString = ConnectionString;
        if (connectionString is null)
        {
            if (Environment.GetEnvironmentVariable("CI") == "true")
            {
                throw new InvalidOperationException($"CI=true, where no test may be skipped. {Missing}");
            }
            Assert.Skip(Missing);
        }
        return connectionString;
    }

    /// <summary>
    /// Creates a new, empty database (<c>inmail_t_</c> and a GUID) on the test server, so that a test
    /// shares no tables with any other, and returns the connection string to it.
    /// </summary>
    public static async Task<string> CreateFreshDatabaseAsync()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var builder = new NpgsqlConnectionStringBuilder(RequireOrSkip());
        var name = $"inmail_t_{Guid.NewGuid():N}";
        await using (var connection = new NpgsqlConnection(builder.ConnectionString))
        {
            await connection.OpenAsync(cancellationToken);
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await create.ExecuteNonQueryAsync(cancellationToken);
        }
        builder.Database = name;
        return builder.ConnectionString;
    }
}
