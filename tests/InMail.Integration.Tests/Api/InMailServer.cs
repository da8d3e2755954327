using System.Net.Http.Headers;
using InMail.Domain.Time;
using InMail.Integration.Tests.Postgres;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace InMail.Integration.Tests.Api;

public enum Database
{
    Sqlite,
    Postgres,
}

/// <summary>
/// The service hosted in-process on a fresh database (a temp SQLite file or a new PostgreSQL
/// database), in test mode, with a clock the test moves. Password hashing is cheapened and the
/// sign-in limit raised so tests can register many members; one test checks the limit itself.
/// </summary>
public sealed class InMailServer : WebApplicationFactory<Program>
{
    public static readonly DateTimeOffset Start = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    private readonly string? _dir;
    private readonly Dictionary<string, string?> _settings;

    private InMailServer(Dictionary<string, string?> settings, string? dir)
    {
        _settings = settings;
        _dir = dir;
    }

    public SettableClock Clock { get; } = new(Start);

    /// <summary>Every log line the server wrote, besides its console.</summary>
    public CapturedLogs Logs { get; } = new();

    /// <summary>The configuration the server runs with, its database among it.</summary>
    public IReadOnlyDictionary<string, string?> Settings => _settings;

    /// <summary>
    /// Starts the service. With <paramref name="kestrel"/> it listens on a real loopback port (see
    /// <see cref="Url"/>), for clients that make their own connections, like <c>inmail replay --server</c>.
    /// </summary>
    public static async Task<InMailServer> StartAsync(Database database, IReadOnlyDictionary<string, string?>? overrides = null, bool kestrel = false)
    {
        var settings = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["InMail:Mode"] = "Test",
            ["InMail:PasswordHashIterations"] = "1000",
            ["InMail:SignInsPerMinute"] = "100000",
            // Decision 007: empty the working set after every batch, so every request loads what it touches from the documents.
            ["InMail:WorkingSetLimit"] = "0",
        };
        string? dir = null;
        if (database == Database.Postgres)
        {
            settings["InMail:Postgres"] = await PostgresDatabase.CreateFreshDatabaseAsync();
        }
        else
        {
            dir = Directory.CreateTempSubdirectory("inmail-api-").FullName;
            settings["InMail:Sqlite"] = Path.Combine(dir, "inmail.db");
        }
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }
        if (kestrel)
        {
            settings["urls"] = "http://127.0.0.1:0";
        }
        var server = new InMailServer(settings, dir);
        if (kestrel)
        {
            server.UseKestrel();
            server.StartServer();
        }
        else
        {
            _ = server.Server; // start it now, not on first use
        }
        return server;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }
        builder.ConfigureServices(services =>
        {
            services.AddSingleton(new ClockSource(Clock));
            services.AddSingleton<Microsoft.Extensions.Logging.ILoggerProvider>(Logs);
        });
    }

    /// <summary>Where a Kestrel-hosted server listens (the in-memory test server's address otherwise).</summary>
    public Uri Url => new(Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First());

    /// <summary>
    /// A client with no credentials (no cookies, no redirects). Every API response it receives is
    /// checked against the OpenAPI document; see <see cref="ContractViolations"/>.
    /// </summary>
    public ApiClient Anonymous() => new(CreateDefaultClient(new ContractRecorder(ContractAsync, _violations)));

    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _violations = new();
    private Task<ContractChecker>? _contract;

    /// <summary>Where this test's responses differed from the OpenAPI document; the test fails at the server's end if any did.</summary>
    public IReadOnlyList<string> ContractViolations => [.. _violations];

    /// <summary>A test that checks the checker itself sets this, so its deliberate violations do not fail it at the end.</summary>
    public bool ExpectContractViolations { get; set; }

    /// <summary>The checker for this server's document, read once (without going through the checker).</summary>
    public Task<ContractChecker> ContractAsync() => _contract ??= ContractChecker.LoadAsync(CreateClient());

    /// <summary>Registers a member and returns a client signed in as them (a bearer token).</summary>
    public async Task<ApiClient> MemberAsync(string id, string? name = null)
    {
        var anonymous = Anonymous();
        var token = await anonymous.RegisterAsync(id, name ?? id);
        return As(token);
    }

    public ApiClient As(string token)
    {
        var client = Anonymous();
        client.Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>A client signed in as the operator of test mode.</summary>
    public async Task<ApiClient> OperatorAsync()
    {
        var token = await Anonymous().SignInAsync("operator", "test-operator-password");
        return As(token);
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (_dir is not null)
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(_dir, recursive: true);
        }
        if (!ExpectContractViolations && !_violations.IsEmpty)
        {
            throw new Xunit.Sdk.XunitException("Responses that do not match the OpenAPI document:\n" + string.Join("\n", _violations.Distinct()));
        }
    }
}

/// <summary>The server's log lines, kept in memory so a test can read what was logged and at which level.</summary>
public sealed class CapturedLogs : Microsoft.Extensions.Logging.ILoggerProvider
{
    private readonly System.Collections.Concurrent.ConcurrentQueue<(Microsoft.Extensions.Logging.LogLevel Level, string Category, string Message, Exception? Error)> _lines = new();

    public IReadOnlyList<(Microsoft.Extensions.Logging.LogLevel Level, string Category, string Message, Exception? Error)> Lines => [.. _lines];

    public Microsoft.Extensions.Logging.ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(CapturedLogs logs, string category) : Microsoft.Extensions.Logging.ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(Microsoft.Extensions.Logging.LogLevel logLevel) => logLevel >= Microsoft.Extensions.Logging.LogLevel.Information;

        public void Log<TState>(Microsoft.Extensions.Logging.LogLevel logLevel, Microsoft.Extensions.Logging.EventId eventId, TState state, Exception? exception,
            Func<TState, Exception?, string> formatter)
        {
            ArgumentNullException.ThrowIfNull(formatter);
            if (IsEnabled(logLevel))
            {
                logs._lines.Enqueue((logLevel, category, formatter(state, exception), exception));
            }
        }
    }
}
