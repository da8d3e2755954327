using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using InMail.Integration.Tests.Api;
using InMail.Storage;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using static InMail.Integration.Tests.Api.ApiClient;

namespace InMail.Integration.Tests.Process;

/// <summary>
/// Thousands of generated hostile requests across every route: none may get a 5xx, every 4xx is an
/// RFC 9457 problem with a <c>code</c>, and none may change anything, in memory or in the tables.
/// The generator is seeded: a failure prints the seed and the request, and INMAIL_HOSTILE_SEED repeats it.
/// </summary>
public abstract partial class HostileInputContract
{
    private const int DefaultSeed = 20_260_302;
    private const int Requests = 3_000;
    private static readonly string[] People = ["alice", "bob", "carol", "mallory", "dave", "erin", "frank"];

    protected abstract Database Database { get; }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Thousands_of_hostile_requests_get_problems_and_change_nothing()
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable("INMAIL_HOSTILE_SEED"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var chosen) ? chosen : DefaultSeed;
        // Without a log line per request: the thousands of them cost more time than the requests.
        await using var server = await InMailServer.StartAsync(Database, new Dictionary<string, string?> { ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning" });
        var tables = Database == Database.Postgres ? Tables.Postgres(server.Settings["InMail:Postgres"]!) : Tables.Sqlite(server.Settings["InMail:Sqlite"]!);
        var store = server.Services.GetRequiredService<CommandStore>();

        // A small network with something of each kind: a subscription, a message, a group, an invitation, a connection, a team.
        var anonymous = server.Anonymous();
        var tokens = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var member in People)
        {
            tokens[member] = await anonymous.RegisterAsync(member, CultureInfo.InvariantCulture.TextInfo.ToTitleCase(member));
        }
        tokens["operator"] = await anonymous.SignInAsync("operator", "test-operator-password");
        var as_ = tokens.ToDictionary(t => t.Key, t => server.As(t.Value), StringComparer.Ordinal);
        await Expect(await as_["alice"].PostAsync("/api/v1/members/alice/subscription", new { plan = "premium-business", billing = "monthly" }), HttpStatusCode.Created);
        var first = await Expect(await as_["alice"].PostAsync("/api/v1/messages", new { to = "bob", subject = "Hello Bob", body = "Are you open to a chat?" }, "setup-send-1"), HttpStatusCode.Created);
        var message = first["message"]!["id"]!.GetValue<string>();
        await Expect(await as_["alice"].PostAsync("/api/v1/groups", new { id = "g1", name = "Group one" }), HttpStatusCode.Created);
        await Expect(await as_["carol"].PostAsync("/api/v1/members/carol/invitations", new { to = "alice" }), HttpStatusCode.Created);
        await Expect(await as_["operator"].PostAsync("/api/v1/operator/connections", new { a = "alice", b = "dave" }), HttpStatusCode.NoContent);
        await Expect(await as_["dave"].PostAsync("/api/v1/teams", new { id = "t1", plan = "sales-navigator-advanced", seats = new[] { "dave", "erin" } }), HttpStatusCode.Created);
        await Expect(await as_["erin"].PostAsync("/api/v1/members/erin/seat-offers/t1/accept"), HttpStatusCode.OK);
        await Expect(await as_["alice"].PostAsync("/api/v1/messages", new { to = "erin", subject = "Hello Erin", body = "Can we talk?" }), HttpStatusCode.Created);
        await Expect(await as_["erin"].PostAsync("/api/v1/members/erin/invitations", new { to = "bob" }), HttpStatusCode.Created);
        await Expect(await as_["frank"].PostAsync("/api/v1/members/frank/invitations", new { to = "carol" }), HttpStatusCode.Created);
        await Expect(await as_["erin"].PutAsync("/api/v1/members/erin/blocks/frank"), HttpStatusCode.NoContent);
        var revoked = await anonymous.RegisterAsync("zed", "Zed");
        await Expect(await server.As(revoked).PostAsync("/api/v1/auth/sign-out"), HttpStatusCode.NoContent);

        var toErin = (await as_["erin"].GetJson("/api/v1/conversations/alice"))["messages"]![0]!["id"]!.GetValue<string>();
        var valid = ValidRequests(message, toErin);
        using var http = server.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        var before = await DigestAsync(store, tables, as_);
        var seq = store.LastSeq;

        var generator = new HostileRequests(seed, valid, People, message);
        var failures = new List<string>();
        var statuses = new SortedDictionary<int, int>();
        var kinds = new SortedDictionary<string, SortedDictionary<int, int>>(StringComparer.Ordinal);
        for (var i = 0; i < Requests && failures.Count < 20; i++)
        {
            var request = generator.Next(i, revoked);
            var (status, type, text) = await SendAsync(http, request, tokens);
            statuses[status] = statuses.GetValueOrDefault(status) + 1;
            var kind = kinds.TryGetValue(request.Kind, out var k) ? k : kinds[request.Kind] = [];
            kind[status] = kind.GetValueOrDefault(status) + 1;
            if (Broken(request, status, type, text) is { } rule)
            {
                failures.Add($"{rule}: {request}{Environment.NewLine}    → {status} {type} {Cut(text)}");
            }
            if (store.LastSeq != seq)
            {
                failures.Add($"the command log grew (a hostile request was carried out): {request}{Environment.NewLine}    → {status} {Cut(text)}");
                break;
            }
        }
        var tally = string.Join(", ", statuses.Select(s => $"{s.Key}×{s.Value}"));
        TestContext.Current.TestOutputHelper?.WriteLine($"seed {seed}: {Requests} hostile requests on {Database}: {tally}");
        foreach (var (name, counts) in kinds)
        {
            TestContext.Current.TestOutputHelper?.WriteLine($"  {name,-16} {string.Join(", ", counts.Select(c => $"{c.Key}×{c.Value}"))}");
        }
        Assert.True(failures.Count == 0,
            $"seed {seed} (INMAIL_HOSTILE_SEED={seed} repeats it): {failures.Count} requests broke a rule:{Environment.NewLine}{string.Join(Environment.NewLine, failures)}");

        var after = await DigestAsync(store, tables, as_);
        if (before != after)
        {
            var (was, now) = before.Split('\n').Zip(after.Split('\n')).FirstOrDefault(p => p.First != p.Second);
            Assert.Fail($"seed {seed}: the hostile requests changed the state ({tally}); first difference:{Environment.NewLine}before: {Cut(was)}{Environment.NewLine}after:  {Cut(now)}");
        }

        // Markup is text like any other: stored verbatim, and returned as JSON-escaped text, never as markup.
        const string subject = "<script>alert(1)</script>";
        const string body = "\"><img src=x onerror=alert(1)> '; DROP TABLE members; --";
        var sent = await Expect(await as_["alice"].PostAsync("/api/v1/messages", new { to = "carol", subject, body }), HttpStatusCode.Created);
        var id = sent["message"]!["id"]!.GetValue<string>();
        using (var read = await as_["alice"].GetAsync($"/api/v1/messages/{Uri.EscapeDataString(id)}"))
        {
            var raw = await read.Content.ReadAsStringAsync(Ct);
            Assert.Equal(HttpStatusCode.OK, read.StatusCode);
            Assert.Equal("application/json", read.Content.Headers.ContentType?.MediaType);
            Assert.Equal("nosniff", Assert.Single(read.Headers.GetValues("X-Content-Type-Options")));
            Assert.DoesNotContain("<script", raw, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("<img", raw, StringComparison.OrdinalIgnoreCase);
            Assert.Contains("\\u003Cscript\\u003E", raw, StringComparison.Ordinal);
            var view = JsonNode.Parse(raw)!;
            Assert.Equal(subject, view["subject"]!.GetValue<string>());
            Assert.Equal(body, view["body"]!.GetValue<string>());
        }
        Assert.Equal([subject, body], Assert.Single(await tables.RowsAsync("SELECT subject, body FROM messages WHERE id = @id", ("id", id))));
        Assert.Equal(People.Length + 2, await tables.ScalarAsync("SELECT COUNT(*) FROM members")); // the people, the operator and zed

        // Every request the hostile ones were made from is valid as it is: what refused them was what was broken.
        foreach (var t in valid)
        {
            var request = new HostileRequest(-1, t.Actor, t.Method, t.Path, t.Body is null ? null : Encoding.UTF8.GetBytes(ApiClient.Json(t.Body)), t.Body is null ? null : "application/json", [], $"{t.Name} as it is", IsRead: false);
            var (status, _, text) = await SendAsync(http, request, tokens);
            Assert.True(status is >= 200 and < 300, $"the valid request '{t.Name}' was refused ({status} {text}), so the hostile requests made from it prove less than they seem");
        }
    }

    /// <summary>The rule a response breaks, if any.</summary>
    private static string? Broken(HostileRequest request, int status, string? type, string text)
    {
        if (status >= 500)
        {
            return $"a {status}";
        }
        if (status < 400)
        {
            return request.IsRead ? null : $"a hostile request was accepted ({status})";
        }
        if (type != "application/problem+json")
        {
            return $"a {status} that is not a problem ({type ?? "no content type"})";
        }
        try
        {
            return JsonNode.Parse(text)?["code"] is JsonValue code && code.TryGetValue<string>(out var value) && value.Length > 0 ? null : $"a {status} problem without a code";
        }
        catch (System.Text.Json.JsonException)
        {
            return $"a {status} problem that is not JSON";
        }
    }

    private static async Task<(int Status, string? Type, string Text)> SendAsync(HttpClient http, HostileRequest r, Dictionary<string, string> tokens)
    {
        using var message = new HttpRequestMessage(new HttpMethod(r.Method), new Uri(r.Path, UriKind.Relative));
        if (r.Body is not null)
        {
            message.Content = new ByteArrayContent(r.Body);
            if (r.ContentType is not null)
            {
                message.Content.Headers.TryAddWithoutValidation("Content-Type", r.ContentType);
            }
        }
        if (tokens.TryGetValue(r.Actor, out var token) && !r.Headers.Any(h => h.Key == "Authorization"))
        {
            message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        foreach (var (name, value) in r.Headers)
        {
            Assert.True(message.Headers.TryAddWithoutValidation(name, value), $"could not add the header {name}");
        }
        using var response = await http.SendAsync(message, Ct);
        return ((int)response.StatusCode, response.Content.Headers.ContentType?.MediaType, await response.Content.ReadAsStringAsync(Ct));
    }

    /// <summary>
    /// Everything a member or the operator can see, and every table: equal digests mean nothing changed.
    /// Request ids differ per request and are left out.
    /// </summary>
    private static async Task<string> DigestAsync(CommandStore store, Tables tables, Dictionary<string, ApiClient> as_)
    {
        var digest = new StringBuilder();
        digest.Append("lastSeq ").Append(store.LastSeq).Append('\n');
        async Task Add(ApiClient client, string path)
        {
            using var response = await client.GetAsync(path);
            var text = await response.Content.ReadAsStringAsync(Ct);
            digest.Append(path).Append(' ').Append((int)response.StatusCode).Append(' ').Append(RequestId().Replace(text, "")).Append('\n');
        }
        foreach (var member in People)
        {
            foreach (var path in new[]
            {
                "/api/v1/auth/me", $"/api/v1/members/{member}/settings", $"/api/v1/members/{member}/connections", $"/api/v1/members/{member}/invitations",
                $"/api/v1/members/{member}/blocks", $"/api/v1/members/{member}/subscription", $"/api/v1/members/{member}/credits",
                $"/api/v1/members/{member}/ledger?limit=1000", "/api/v1/conversations?limit=200", "/api/v1/conversations?archived=true&limit=200",
                "/api/v1/groups", "/api/v1/members?limit=100",
            })
            {
                await Add(as_[member], path);
            }
        }
        await Add(as_["operator"], "/api/v1/operator/clock");
        await Add(as_["operator"], "/api/v1/members/zed/credits");
        await Add(as_["dave"], "/api/v1/teams/t1");
        await Add(as_["dave"], "/api/v1/teams/t1/ledger");
        await Add(as_["alice"], "/api/v1/conversations/bob");
        digest.Append(await tables.DumpAsync());
        return digest.ToString();
    }

    [GeneratedRegex("\"requestId\":\"[^\"]*\"")]
    private static partial Regex RequestId();

    private static string Cut(string? text) => text is null ? "" : text.Length > 500 ? text[..500] + "…" : text;

    private static FieldSpec F(string name, FieldKind kind, bool required = false, bool nullable = false, params int[] refused) =>
        new(name, kind, required, nullable, [.. refused.Select(r => (JsonNode?)JsonValue.Create(r))]);

    private static Dictionary<string, string> V(params (string Name, string Value)[] values) => values.ToDictionary(v => v.Name, v => v.Value, StringComparer.Ordinal);

    /// <summary>
    /// Requests that succeed in the world above (sent last, in this order, to prove it). Their owners are
    /// whoever alone may make them; "keyed" ones go through the command store and honour Idempotency-Key.
    /// </summary>
    private static List<ValidRequest> ValidRequests(string message, string toErin) =>
    [
        new("send", "alice", "POST", "/api/v1/messages", V(), new JsonObject { ["to"] = "carol", ["subject"] = "Hello Carol", ["body"] = "Are you open to a chat?" },
            [F("to", FieldKind.RefId, true), F("subject", FieldKind.Text), F("body", FieldKind.Text)], Keyed: true),
        new("quote", "alice", "POST", "/api/v1/quotes", V(), new JsonObject { ["to"] = "carol", ["subject"] = "Hello Carol", ["body"] = "Are you open to a chat?" },
            [F("to", FieldKind.RefId, true), F("subject", FieldKind.Text), F("body", FieldKind.Text)]),
        new("profile", "mallory", "PUT", "/api/v1/members/{id}/profile", V(("id", "mallory")),
            new JsonObject { ["name"] = "Mallory Mallet", ["headline"] = "Tester", ["company"] = "Acme", ["timezone"] = "Europe/Paris" },
            [F("name", FieldKind.Text, true), F("headline", FieldKind.Text), F("company", FieldKind.Text), F("timezone", FieldKind.Zone)], Owner: "mallory", Keyed: true),
        new("register", "anonymous", "POST", "/api/v1/auth/register", V(),
            new JsonObject { ["id"] = "newcomer", ["name"] = "New Comer", ["password"] = "long enough password", ["headline"] = "New here", ["company"] = "Initech", ["timezone"] = "Europe/Berlin" },
            [F("id", FieldKind.NewId, true), F("name", FieldKind.Text, true), F("password", FieldKind.Password, true), F("headline", FieldKind.Text),
             F("company", FieldKind.Text), F("timezone", FieldKind.Zone)], Open: true),
        new("token", "anonymous", "POST", "/api/v1/auth/token", V(), new JsonObject { ["member"] = "alice", ["password"] = Password },
            [F("member", FieldKind.Secret, true), F("password", FieldKind.Secret, true)], Open: true),
        new("sign-in", "anonymous", "POST", "/api/v1/auth/sign-in", V(), new JsonObject { ["member"] = "bob", ["password"] = Password },
            [F("member", FieldKind.Secret, true), F("password", FieldKind.Secret, true)], Open: true),
        new("create-group", "mallory", "POST", "/api/v1/groups", V(), new JsonObject { ["id"] = "mallory-group", ["name"] = "Mallory's group" },
            [F("id", FieldKind.NewId, true), F("name", FieldKind.Text, true)], Keyed: true),
        new("invite", "mallory", "POST", "/api/v1/members/{id}/invitations", V(("id", "mallory")), new JsonObject { ["to"] = "bob", ["note"] = "Hi Bob, let us connect" },
            [F("to", FieldKind.RefId, true), F("note", FieldKind.Text)], Owner: "mallory", Keyed: true),
        new("bonus", "operator", "POST", "/api/v1/operator/members/{id}/bonuses", V(("id", "mallory")), new JsonObject { ["credits"] = 5, ["days"] = 10, ["reason"] = "goodwill" },
            [F("credits", FieldKind.Count, true, false, 0, -1, 100_001, int.MaxValue, int.MinValue), F("days", FieldKind.Count, true, false, 0, -1, 3_651, int.MaxValue, int.MinValue),
             F("reason", FieldKind.Text)], Owner: "operator", Keyed: true),
        new("archive", "alice", "PUT", "/api/v1/conversations/{other}/archived", V(("other", "bob")), new JsonObject { ["archived"] = true },
            [F("archived", FieldKind.Flag, true)], Owner: "alice", Keyed: true),
        new("respond", "bob", "POST", "/api/v1/messages/{message}/responses", V(("message", message)), new JsonObject { ["kind"] = "accept", ["body"] = "Sure, happy to chat" },
            [F("kind", FieldKind.Word, true), F("body", FieldKind.Text)], Owner: "bob", Keyed: true),
        new("subscribe", "mallory", "POST", "/api/v1/members/{id}/subscription", V(("id", "mallory")), new JsonObject { ["plan"] = "premium-career", ["billing"] = "monthly" },
            [F("plan", FieldKind.Word, true), F("billing", FieldKind.Word)], Owner: "mallory", Keyed: true),
        new("purchase", "alice", "POST", "/api/v1/members/{id}/purchases", V(("id", "alice")), new JsonObject { ["pack"] = 10 },
            [F("pack", FieldKind.Count, true, false, 0, -1, 7, 11, int.MaxValue, int.MinValue)], Owner: "alice", Keyed: true),
        new("change-plan", "alice", "PUT", "/api/v1/members/{id}/subscription", V(("id", "alice")), new JsonObject { ["plan"] = "premium-career", ["billing"] = "monthly" },
            [F("plan", FieldKind.Word, true), F("billing", FieldKind.Word)], Owner: "alice", Keyed: true),
        new("cancel", "alice", "DELETE", "/api/v1/members/{id}/subscription", V(("id", "alice")), null, [], Owner: "alice", Keyed: true),
        new("add-seat", "dave", "POST", "/api/v1/teams/{team}/seats", V(("team", "t1")), new JsonObject { ["member"] = "carol" },
            [F("member", FieldKind.RefId, true)], Owner: "dave", Keyed: true),
        new("seat-cap", "dave", "PUT", "/api/v1/teams/{team}/seat-cap", V(("team", "t1")), new JsonObject { ["seatCap"] = 3 },
            [F("seatCap", FieldKind.Count, true, true, -1, int.MinValue)], Owner: "dave", Keyed: true),
        new("settings", "mallory", "PATCH", "/api/v1/members/{id}/settings", V(("id", "mallory")), new JsonObject { ["inmail"] = false },
            [F("inmail", FieldKind.Flag, false, true), F("openProfile", FieldKind.Flag, false, true), F("groupMessages", FieldKind.Flag, false, true)], Owner: "mallory", Keyed: true),
        new("connect", "operator", "POST", "/api/v1/operator/connections", V(), new JsonObject { ["a"] = "mallory", ["b"] = "carol" },
            [F("a", FieldKind.RefId, true), F("b", FieldKind.RefId, true)], Owner: "operator", Keyed: true),
        new("create-team", "frank", "POST", "/api/v1/teams", V(), new JsonObject { ["id"] = "frank-team", ["plan"] = "sales-navigator-advanced", ["seats"] = new JsonArray("frank") },
            [F("id", FieldKind.NewId, true), F("plan", FieldKind.Word, true), F("seats", FieldKind.IdList, true), F("billing", FieldKind.Word),
             F("seatCap", FieldKind.Count, false, true, -1, int.MinValue)], Keyed: true),
        new("accept", "alice", "POST", "/api/v1/members/{id}/invitations/{other}/accept", V(("id", "alice"), ("other", "carol")), null, [], Owner: "alice", Keyed: true),
        new("ignore", "bob", "POST", "/api/v1/members/{id}/invitations/{other}/ignore", V(("id", "bob"), ("other", "erin")), null, [], Owner: "bob", Keyed: true),
        new("withdraw", "frank", "DELETE", "/api/v1/members/{id}/invitations/{other}", V(("id", "frank"), ("other", "carol")), null, [], Owner: "frank", Keyed: true),
        new("disconnect", "alice", "DELETE", "/api/v1/members/{id}/connections/{other}", V(("id", "alice"), ("other", "dave")), null, [], Owner: "alice", Keyed: true),
        new("block", "bob", "PUT", "/api/v1/members/{id}/blocks/{other}", V(("id", "bob"), ("other", "carol")), null, [], Owner: "bob", Keyed: true),
        new("unblock", "erin", "DELETE", "/api/v1/members/{id}/blocks/{other}", V(("id", "erin"), ("other", "frank")), null, [], Owner: "erin", Keyed: true),
        new("read", "bob", "POST", "/api/v1/conversations/{other}/read", V(("other", "alice")), null, [], Keyed: true),
        new("join", "mallory", "POST", "/api/v1/groups/{group}/members", V(("group", "g1")), null, [], Keyed: true),
        new("leave", "alice", "DELETE", "/api/v1/groups/{group}/members/{id}", V(("group", "g1"), ("id", "alice")), null, [], Owner: "alice", Keyed: true),
        new("spam-report", "erin", "POST", "/api/v1/messages/{message}/spam-reports", V(("message", toErin)), null, [], Owner: "erin", Keyed: true),
        new("remove-seat", "dave", "DELETE", "/api/v1/teams/{team}/seats/{other}", V(("team", "t1"), ("other", "erin")), null, [], Owner: "dave", Keyed: true,
            AlsoAllowed: ["erin"]), // a seat holder may leave
        new("cancel-team", "dave", "DELETE", "/api/v1/teams/{team}", V(("team", "t1")), null, [], Owner: "dave", Keyed: true),
        new("clock-advance", "operator", "POST", "/api/v1/operator/clock/advance", V(), new JsonObject { ["days"] = 1 },
            [F("days", FieldKind.Count, false, false, -1, 3_661, int.MinValue), F("hours", FieldKind.Count, false, false, -1, int.MaxValue, int.MinValue),
             F("minutes", FieldKind.Count, false, false, -1, int.MaxValue, int.MinValue)], Owner: "operator"),
        new("clock-set", "operator", "PUT", "/api/v1/operator/clock", V(), new JsonObject { ["at"] = "2026-04-01T00:00:00Z" },
            [F("at", FieldKind.Instant, true)], Owner: "operator"),
        new("sign-out", "frank", "POST", "/api/v1/auth/sign-out", V(), null, []),
    ];
}

public sealed class SqliteHostileInputTests : HostileInputContract
{
    protected override Database Database => Database.Sqlite;
}

public sealed class PostgresHostileInputTests : HostileInputContract
{
    protected override Database Database => Database.Postgres;
}
