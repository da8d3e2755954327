using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using InMail.Domain.Time;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace InMail.Browser.Tests;

/// <summary>
/// The service on a real loopback port (Kestrel, so a browser can reach it) on a fresh SQLite file,
/// in test or demo mode, with cheap password hashing and a high sign-in limit. Tests set up members
/// through the API, then use the pages in Chromium.
/// </summary>
public sealed class BrowserServer : WebApplicationFactory<Program>
{
    public const string Password = "correct horse battery";
    public static readonly DateTimeOffset Epoch = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    private readonly string _dir = Directory.CreateTempSubdirectory("inmail-browser-").FullName;
    private readonly string _mode;

    private BrowserServer(string mode)
    {
        _mode = mode;
        UseKestrel(0);
    }

    public SettableClock Clock { get; } = new(Epoch);

    /// <summary>Where the browser goes, e.g. http://127.0.0.1:40123.</summary>
    public Uri Address { get; private set; } = null!;

    public static BrowserServer Start(string mode = "Test")
    {
        var server = new BrowserServer(mode);
        server.StartServer();
        var addresses = server.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        server.Address = new Uri(addresses.First().Replace("[::]", "127.0.0.1", StringComparison.Ordinal).Replace("localhost", "127.0.0.1", StringComparison.Ordinal));
        return server;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.UseSetting("urls", "http://127.0.0.1:0");
        builder.UseSetting("InMail:Mode", _mode);
        builder.UseSetting("InMail:PasswordHashIterations", "1000");
        builder.UseSetting("InMail:SignInsPerMinute", "100000");
        builder.UseSetting("InMail:Sqlite", Path.Combine(_dir, "inmail.db"));
        if (_mode == "Test")
        {
            // Demo mode seeds its history by moving the real clock; test mode runs on the test's clock.
            builder.ConfigureServices(services => services.AddSingleton(new ClockSource(Clock)));
        }
    }

    /// <summary>An HTTP client on the real port, signed in with a bearer token when one is given.</summary>
    public HttpClient Api(string? token = null)
    {
        var http = new HttpClient { BaseAddress = Address };
        if (token is not null)
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        return http;
    }

    /// <summary>Registers a member through the API and returns their bearer token.</summary>
    public async Task<string> RegisterAsync(string id, string name, string? headline = null, string? company = null)
    {
        using var http = Api();
        var body = await CallAsync(http, HttpMethod.Post, "/api/v1/auth/register", new { member = id, name, password = Password, headline, company });
        return body["accessToken"]!.GetValue<string>();
    }

    public async Task<string> OperatorAsync()
    {
        using var http = Api();
        var body = await CallAsync(http, HttpMethod.Post, "/api/v1/auth/token", new { member = "operator", password = "test-operator-password" });
        return body["accessToken"]!.GetValue<string>();
    }

    /// <summary>Calls the API as the token's member and fails the test on anything but success.</summary>
    public async Task<JsonNode> CallAsync(string token, HttpMethod method, string path, object? body = null)
    {
        using var http = Api(token);
        return await CallAsync(http, method, path, body);
    }

    private static async Task<JsonNode> CallAsync(HttpClient http, HttpMethod method, string path, object? body)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative)) { Content = body is null ? null : JsonContent.Create(body) };
        using var response = await http.SendAsync(request, TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.IsSuccessStatusCode, $"{method} {path}: {(int)response.StatusCode} {text}");
        return text.Length == 0 ? new JsonObject() : JsonNode.Parse(text)!;
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }
}
