using System.Net;
using System.Text;
using InMail.Web.Demo;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using static InMail.Integration.Tests.Api.ApiClient;

namespace InMail.Integration.Tests.Api;

/// <summary>
/// Issue 10's security lines, each tried from outside: the request that would cross the line, the
/// refusal with its code, and that nothing changed. On SQLite and on PostgreSQL.
/// </summary>
public abstract class SecurityContract
{
    protected abstract Database Database { get; }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private const string SameOrigin = "http://localhost"; // the in-process test server's own origin

    private Task<InMailServer> Server(IReadOnlyDictionary<string, string?>? overrides = null, bool kestrel = false) =>
        InMailServer.StartAsync(Database, overrides, kestrel);

    /// <summary>Signs in through the API's cookie sign-in and returns the session cookie (<c>name=value</c>), as an attacker would copy it.</summary>
    private static async Task<string> SessionCookieAsync(InMailServer server, string member)
    {
        var response = await server.Anonymous().PostAsync("/api/v1/auth/sign-in", new { member, password = Password });
        await Expect(response, HttpStatusCode.NoContent);
        return CookieOf(response);
    }

    private static string CookieOf(HttpResponseMessage response)
    {
        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith("inmail.session=", StringComparison.Ordinal));
        return cookie[..cookie.IndexOf(';', StringComparison.Ordinal)];
    }

    /// <summary>A client that sends the cookie it was given (and an Origin header, unless null), and keeps no others.</summary>
    private static ApiClient WithCookie(InMailServer server, string cookie, string? origin = SameOrigin)
    {
        var client = server.Anonymous();
        client.Http.DefaultRequestHeaders.Add("Cookie", cookie);
        if (origin is not null)
        {
            client.Http.DefaultRequestHeaders.Add("Origin", origin);
        }
        return client;
    }

    private static async Task<long> SessionsOf(InMailServer server, string member)
    {
        var store = (InMail.Storage.CommandStore)server.Services.GetService(typeof(InMail.Storage.CommandStore))!;
        return await store.QueryAsync($"SELECT count(*) FROM sessions WHERE member_id = {store.Parameter(0)}", [member],
            r => r.Read() ? Convert.ToInt64(r.GetValue(0), System.Globalization.CultureInfo.InvariantCulture) : 0, Ct);
    }

    // ---------------------------------------------------------------- 1. sign-out ends the session

    [Fact]
    public async Task A_copied_session_cookie_opens_nothing_once_its_member_signed_out_through_the_api()
    {
        await using var server = await Server();
        await server.MemberAsync("alice");
        var cookie = await SessionCookieAsync(server, "alice");
        var copy = WithCookie(server, cookie, origin: null);
        Assert.Equal("alice", (await copy.GetJson("/api/v1/auth/me"))["member"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, (await copy.GetAsync("/inbox")).StatusCode);
        Assert.Equal(1, await SessionsOf(server, "alice"));

        await Expect(await WithCookie(server, cookie).PostAsync("/api/v1/auth/sign-out"), HttpStatusCode.NoContent);

        await Refused(await copy.GetAsync("/api/v1/auth/me"), HttpStatusCode.Unauthorized, "unauthenticated");
        var inbox = await copy.GetAsync("/inbox");
        Assert.Equal(HttpStatusCode.Redirect, inbox.StatusCode);
        Assert.StartsWith("/sign-in", inbox.Headers.Location?.PathAndQuery ?? inbox.Headers.Location?.OriginalString, StringComparison.Ordinal);
        Assert.Equal(0, await SessionsOf(server, "alice"));
    }

    [Fact]
    public async Task A_copied_session_cookie_opens_nothing_once_its_member_signed_out_on_the_pages()
    {
        await using var server = await Server();
        await server.MemberAsync("bob");
        var browser = new ErrorPageTests.Browser(server);
        var cookie = CookieOf(await browser.SignInAsync("bob", Password));
        var copy = WithCookie(server, cookie, origin: null);
        Assert.Equal(HttpStatusCode.OK, (await copy.GetAsync("/inbox")).StatusCode);

        var signOut = await browser.PostFormAsync("/sign-out", [], token: await browser.FormTokenAsync("/inbox"));
        Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);

        Assert.Equal(HttpStatusCode.Redirect, (await copy.GetAsync("/inbox")).StatusCode);
        await Refused(await copy.GetAsync("/api/v1/auth/me"), HttpStatusCode.Unauthorized, "unauthenticated");
        Assert.Equal(0, await SessionsOf(server, "bob"));
    }

    // ---------------------------------------------------------------- 2. seats are offered and accepted

    [Fact]
    public async Task A_team_only_offers_seats_and_a_member_accepts_declines_or_leaves()
    {
        await using var server = await Server();
        var boss = await server.MemberAsync("boss");
        var bob = await server.MemberAsync("bob");
        var carol = await server.MemberAsync("carol");
        var mallory = await server.MemberAsync("mallory");
        await ApiContract.Subscribed(server, "dee");

        var team = await Expect(await boss.PostAsync("/api/v1/teams", new { id = "t1", plan = "sales-navigator-advanced", seats = new[] { "boss", "bob", "carol" } }),
            HttpStatusCode.Created);
        Assert.Equal(["boss"], team["seats"]!.AsArray().Select(s => s!.GetValue<string>()));
        Assert.Equal(["bob", "carol"], team["offers"]!.AsArray().Select(o => o!["member"]!.GetValue<string>()));
        var bobNow = await bob.GetJson("/api/v1/auth/me");
        Assert.Null(bobNow["team"]);
        Assert.Equal("basic", bobNow["plan"]!.GetValue<string>());
        var offers = await bob.GetJson("/api/v1/members/me/seat-offers");
        Assert.Equal("t1", Assert.Single(offers.AsArray())!["team"]!.GetValue<string>());
        await Refused(await mallory.GetAsync("/api/v1/members/bob/seat-offers"), HttpStatusCode.Forbidden, "forbidden");

        // Without an offer there is nothing to accept or decline, and the team is not even there.
        await Refused(await mallory.PostAsync("/api/v1/members/me/seat-offers/t1/accept"), HttpStatusCode.NotFound, "unknown-team");
        await Refused(await mallory.PostAsync("/api/v1/members/me/seat-offers/t1/decline"), HttpStatusCode.NotFound, "unknown-team");
        await Refused(await mallory.PostAsync("/api/v1/members/bob/seat-offers/t1/accept"), HttpStatusCode.Forbidden, "forbidden");
        Assert.Null((await mallory.GetJson("/api/v1/auth/me"))["team"]);

        await Expect(await bob.PostAsync("/api/v1/members/me/seat-offers/t1/accept"), HttpStatusCode.OK);
        Assert.Equal("t1", (await bob.GetJson("/api/v1/auth/me"))["team"]!.GetValue<string>());
        await Expect(await carol.PostAsync("/api/v1/members/carol/seat-offers/t1/decline"), HttpStatusCode.NoContent);
        await Refused(await carol.PostAsync("/api/v1/members/me/seat-offers/t1/accept"), HttpStatusCode.NotFound, "unknown-team");
        Assert.Empty((await boss.GetJson("/api/v1/teams/t1"))["offers"]!.AsArray());

        // The admin's seat endpoint offers too; it never seats anyone.
        await Expect(await boss.PostAsync("/api/v1/teams/t1/seats", new { member = "carol" }), HttpStatusCode.OK);
        Assert.Null((await carol.GetJson("/api/v1/auth/me"))["team"]);
        await Refused(await boss.PostAsync("/api/v1/teams/t1/seats", new { member = "dee" }), HttpStatusCode.Conflict, "team-seat-conflict");
        await Refused(await bob.DeleteAsync("/api/v1/teams/t1/seats/boss"), HttpStatusCode.Forbidden, "forbidden");

        // A seat holder leaves, and may then take a plan of their own.
        await Refused(await bob.PostAsync("/api/v1/members/me/subscription", new { plan = "premium-business" }), HttpStatusCode.Conflict, "team-seat-conflict");
        await Expect(await bob.DeleteAsync("/api/v1/teams/t1/seats/me"), HttpStatusCode.OK);
        Assert.Null((await bob.GetJson("/api/v1/auth/me"))["team"]);
        await Refused(await bob.DeleteAsync("/api/v1/teams/t1/seats/bob"), HttpStatusCode.NotFound, "unknown-team");
        await Expect(await bob.PostAsync("/api/v1/members/me/subscription", new { plan = "premium-business" }), HttpStatusCode.Created);
    }

    // ---------------------------------------------------------------- 3. member ids

    [Fact]
    public async Task Member_ids_that_are_reserved_or_differ_from_a_taken_one_only_by_case_are_refused()
    {
        await using var server = await Server();
        var anonymous = server.Anonymous();
        var maya = await server.MemberAsync("maya.chen", "Maya Chen");

        foreach (var id in new[] { "me", "ME", "operator", "Operator", "admin", "support" })
        {
            await Refused(await anonymous.PostAsync("/api/v1/auth/register", new { id, name = "Someone", password = Password }), HttpStatusCode.BadRequest, "member-id-reserved");
        }
        foreach (var id in new[] { "Maya.Chen", "MAYA.CHEN", "maya.chen" })
        {
            var refusal = await Refused(await anonymous.PostAsync("/api/v1/auth/register", new { id, name = "Maya Impostor", password = Password }),
                HttpStatusCode.Conflict, "member-id-taken");
            Assert.Contains("maya.chen", refusal["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        }

        var viewer = await server.MemberAsync("viewer");
        Assert.Equal("maya.chen", Assert.Single((await viewer.GetJson("/api/v1/members?q=maya")).AsArray())!["id"]!.GetValue<string>());
        Assert.Equal("Maya Chen", (await maya.GetJson("/api/v1/members/me"))["name"]!.GetValue<string>());
        await Refused(await anonymous.PostAsync("/api/v1/auth/token", new { member = "Maya.Chen", password = Password }), HttpStatusCode.Unauthorized, "invalid-credentials");
        await Refused(await anonymous.PostAsync("/api/v1/auth/token", new { member = "me", password = Password }), HttpStatusCode.Unauthorized, "invalid-credentials");
    }

    // ---------------------------------------------------------------- 4. messages you cannot see

    [Fact]
    public async Task Every_operation_on_a_message_you_cannot_see_is_the_same_not_found_as_for_no_message()
    {
        await using var server = await Server();
        var alice = await ApiContract.Subscribed(server, "alice");
        var bob = await server.MemberAsync("bob");
        var mallory = await server.MemberAsync("mallory");
        var sent = await Expect(await alice.PostAsync("/api/v1/messages", new { to = "bob", subject = "Hello", body = "Open to a chat?" }), HttpStatusCode.Created);
        var id = sent["message"]!["id"]!.GetValue<string>();
        var missing = "msg-999999";
        var credits = (await alice.GetJson("/api/v1/members/me/credits"))["usable"]!.GetValue<int>();

        var operations = new (string What, Func<string, Task<HttpResponseMessage>> Try)[]
        {
            ("read", m => mallory.GetAsync($"/api/v1/messages/{m}")),
            ("reply", m => mallory.PostAsync($"/api/v1/messages/{m}/responses", new { kind = "reply", body = "Me too" })),
            ("accept", m => mallory.PostAsync($"/api/v1/messages/{m}/responses", new { kind = "accept" })),
            ("decline", m => mallory.PostAsync($"/api/v1/messages/{m}/responses", new { kind = "decline" })),
            ("report", m => mallory.PostAsync($"/api/v1/messages/{m}/spam-reports")),
            ("mark", m => mallory.PutAsync($"/api/v1/messages/{m}/outcome", new { outcome = "positive" })),
        };
        foreach (var (what, attempt) in operations)
        {
            var theirs = await Refused(await attempt(id), HttpStatusCode.NotFound, "unknown-message");
            var none = await Refused(await attempt(missing), HttpStatusCode.NotFound, "unknown-message");
            Assert.True(none["detail"]!.GetValue<string>().Replace(missing, id, StringComparison.Ordinal) == theirs["detail"]!.GetValue<string>(), what);
        }

        Assert.Equal(credits, (await alice.GetJson("/api/v1/members/me/credits"))["usable"]!.GetValue<int>()); // no refund, no report
        Assert.Null((await bob.GetJson($"/api/v1/messages/{id}"))["response"]);
        await Expect(await bob.PostAsync($"/api/v1/messages/{id}/responses", new { kind = "accept" }), HttpStatusCode.Created);
    }

    // ---------------------------------------------------------------- 5. cookie writes need the site's origin or token

    [Fact]
    public async Task A_cross_origin_write_with_the_session_cookie_is_refused_and_changes_nothing_while_bearer_tokens_are_unaffected()
    {
        await using var server = await Server();
        var alice = await server.MemberAsync("alice");
        var bob = await server.MemberAsync("bob");
        var ops = await server.OperatorAsync();
        await Expect(await ops.PostAsync("/api/v1/operator/connections", new { a = "alice", b = "bob" }), HttpStatusCode.NoContent);
        await Expect(await bob.PostAsync("/api/v1/messages", new { to = "alice", body = "Lunch?" }), HttpStatusCode.Created);
        var cookie = await SessionCookieAsync(server, "alice");

        foreach (var origin in new[] { "https://evil.example", "null", "http://localhost.evil.example", "https://localhost", null })
        {
            var forged = WithCookie(server, cookie, origin);
            await Refused(await forged.PostAsync("/api/v1/conversations/bob/read"), HttpStatusCode.Forbidden, "cross-site-request"); // body-less, as a form can send
            await Refused(await forged.PutAsync("/api/v1/conversations/bob/archived", new { archived = true }), HttpStatusCode.Forbidden, "cross-site-request");
            await Refused(await forged.PostAsync("/api/v1/auth/sign-out"), HttpStatusCode.Forbidden, "cross-site-request");
        }
        Assert.Equal(1, (await alice.GetJson("/api/v1/conversations"))["unread"]!.GetValue<int>());
        Assert.Equal(1, (await alice.GetJson("/api/v1/conversations"))["total"]!.GetValue<int>());
        Assert.Equal("alice", (await WithCookie(server, cookie, origin: null).GetJson("/api/v1/auth/me"))["member"]!.GetValue<string>()); // reads need no check

        // The site's own origin passes; so does the pages' antiforgery token; a bearer token does not need either.
        Assert.Equal(1, (await WithCookie(server, cookie).Ok(await WithCookie(server, cookie).PostAsync("/api/v1/conversations/bob/read")))["marked"]!.GetValue<int>());
        await server.MemberAsync("carol");
        var carolPages = new ErrorPageTests.Browser(server);
        await carolPages.SignInAsync("carol", Password);
        var token = await carolPages.FormTokenAsync("/inbox");
        using (var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/api/v1/conversations/alice/read", UriKind.Relative)))
        {
            request.Headers.Add("RequestVerificationToken", token);
            Assert.Equal(0, (await Expect(await carolPages.Http.SendAsync(request, Ct), HttpStatusCode.OK))["marked"]!.GetValue<int>()); // past the check: nothing to mark
        }
        using (var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/api/v1/conversations/alice/read", UriKind.Relative)))
        {
            await Refused(await carolPages.Http.SendAsync(request, Ct), HttpStatusCode.Forbidden, "cross-site-request");
        }
        bob.Http.DefaultRequestHeaders.Add("Origin", "https://evil.example");
        await bob.Ok(await bob.PostAsync("/api/v1/conversations/alice/read"));
    }

    // ---------------------------------------------------------------- 7. headers

    [Fact]
    public async Task Api_answers_are_never_cached_and_every_answer_limits_referrers_and_browser_features()
    {
        await using var server = await Server();
        var anonymous = server.Anonymous();
        await server.MemberAsync("alice");

        foreach (var response in new[]
        {
            await anonymous.PostAsync("/api/v1/auth/token", new { member = "alice", password = Password }),
            await anonymous.GetAsync("/api/v1/plans"),
            await anonymous.GetAsync("/api/v1/auth/me"),
            await anonymous.GetAsync("/api/v1/nope"),
        })
        {
            Assert.True(response.Headers.CacheControl?.NoStore, $"{response.RequestMessage!.RequestUri}: {response.Headers.CacheControl}");
        }
        foreach (var path in new[] { "/api/v1/plans", "/sign-in", "/api/docs/index.html", "/openapi/v1.json", "/css/site.css", "/nope" })
        {
            var response = await anonymous.GetAsync(path);
            Assert.Equal("same-origin", Assert.Single(response.Headers.GetValues("Referrer-Policy")));
            Assert.Contains("camera=()", Assert.Single(response.Headers.GetValues("Permissions-Policy")), StringComparison.Ordinal);
            Assert.Single(response.Headers.GetValues("X-Request-Id"));
        }
        var docs = Assert.Single((await anonymous.GetAsync("/api/docs/index.html")).Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("script-src 'self'", docs, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", docs, StringComparison.Ordinal);
        Assert.Contains("default-src 'self'", Assert.Single((await anonymous.GetAsync("/sign-in")).Headers.GetValues("Content-Security-Policy")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cookies_are_secure_behind_a_trusted_tls_proxy_and_its_headers_are_ignored_from_anyone_else()
    {
        await using var proxied = await Server(new Dictionary<string, string?> { ["InMail:TrustedProxies"] = "127.0.0.1, ::1" }, kestrel: true);
        await using var direct = await Server(kestrel: true);
        foreach (var server in new[] { proxied, direct })
        {
            await OverTcp(server).RegisterAsync("alice", "Alice");
        }

        Assert.Contains("secure", await SignInCookieAsync(proxied, forwardedProto: "https"), StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("secure", await SignInCookieAsync(proxied, forwardedProto: null), StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("secure", await SignInCookieAsync(direct, forwardedProto: "https"), StringComparison.OrdinalIgnoreCase); // not configured: not believed
    }

    /// <summary>A client of a server that listens on a real port.</summary>
    private static ApiClient OverTcp(InMailServer server) => new(new HttpClient { BaseAddress = server.Url });

    private static async Task<string> SignInCookieAsync(InMailServer server, string? forwardedProto)
    {
        using var http = new HttpClient { BaseAddress = server.Url };
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/api/v1/auth/sign-in", UriKind.Relative))
        {
            Content = new StringContent($$"""{"member":"alice","password":"{{Password}}"}""", Encoding.UTF8, "application/json"),
        };
        if (forwardedProto is not null)
        {
            request.Headers.Add("X-Forwarded-Proto", forwardedProto);
        }
        var response = await http.SendAsync(request, Ct);
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        return Assert.Single(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith("inmail.session=", StringComparison.Ordinal));
    }

    // ---------------------------------------------------------------- 8. errors outside the app

    [Fact]
    public async Task Long_addresses_large_headers_and_large_bodies_are_problems_and_a_413_closes_the_connection()
    {
        await using var server = await Server(kestrel: true);
        var token = await OverTcp(server).RegisterAsync("alice", "Alice");
        using var http = new HttpClient { BaseAddress = server.Url };

        var longUrl = await http.GetAsync(new Uri("/api/v1/members/" + new string('a', 20_000), UriKind.Relative), Ct);
        await Refused(longUrl, HttpStatusCode.RequestUriTooLong, "uri-too-long");

        using (var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/api/v1/plans", UriKind.Relative)))
        {
            request.Headers.Add("X-Padding", new string('b', 40_000));
            await Refused(await http.SendAsync(request, Ct), HttpStatusCode.RequestHeaderFieldsTooLarge, "headers-too-large");
        }

        using (var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/api/v1/messages", UriKind.Relative))
        {
            Content = new StringContent($$"""{"to":"bob","body":"{{new string('c', 100_000)}}"}""", Encoding.UTF8, "application/json"),
        })
        {
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
            var tooLarge = await http.SendAsync(request, Ct);
            await Refused(tooLarge, HttpStatusCode.RequestEntityTooLarge, "body-too-large");
            Assert.True(tooLarge.Headers.ConnectionClose, "a 413 says Connection: close");
        }

        // Beyond Kestrel's own limits, or what it cannot parse (a NUL in the path), the server answers alone, with an empty body (README).
        var nul = await http.GetAsync(new Uri("/api/v1/members/%00", UriKind.Relative), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, nul.StatusCode);
        var huge = await http.GetAsync(new Uri("/api/v1/members/" + new string('a', 100_000), UriKind.Relative), Ct);
        Assert.Equal(HttpStatusCode.RequestUriTooLong, huge.StatusCode);
        // The app still serves the next request.
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri("/api/v1/plans", UriKind.Relative), Ct)).StatusCode);
    }

    [Fact]
    public async Task A_query_value_of_the_wrong_form_is_a_problem_and_a_warning_without_a_stack_trace()
    {
        await using var server = await Server();
        var alice = await server.MemberAsync("alice");

        await Refused(await alice.GetAsync("/api/v1/conversations?limit=abc"), HttpStatusCode.BadRequest, "invalid-input");
        await Refused(await alice.GetAsync("/api/v1/members?limit=1e3"), HttpStatusCode.BadRequest, "invalid-input");

        var lines = server.Logs.Lines;
        Assert.DoesNotContain(lines, l => l.Level >= Microsoft.Extensions.Logging.LogLevel.Error);
        var warnings = lines.Where(l => l.Level == Microsoft.Extensions.Logging.LogLevel.Warning && l.Message.Contains("limit", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, warnings.Count);
        Assert.All(warnings, w => Assert.Null(w.Error));
    }

    [Fact]
    public async Task A_body_that_names_a_field_twice_is_invalid_input_and_sends_nothing()
    {
        await using var server = await Server();
        var alice = await ApiContract.Subscribed(server, "alice");
        await server.MemberAsync("bob");
        await server.MemberAsync("eve");

        var refusal = await Refused(await alice.PostAsync("/api/v1/messages", """{"to":"bob","subject":"Hi","body":"Hello","to":"eve"}"""),
            HttpStatusCode.BadRequest, "invalid-input");
        Assert.Contains("twice", refusal["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        await Refused(await alice.PostAsync("/api/v1/auth/token", """{"member":"alice","member":"bob","password":"x"}"""), HttpStatusCode.BadRequest, "invalid-input");

        Assert.Equal(0, (await alice.GetJson("/api/v1/conversations"))["total"]!.GetValue<int>());
    }
}

public sealed class SqliteSecurityTests : SecurityContract
{
    protected override Database Database => Database.Sqlite;
}

public sealed class PostgresSecurityTests : SecurityContract
{
    protected override Database Database => Database.Postgres;
}

/// <summary>6. Demo mode: public one-click sign-ins for its members, never the operator's password in a page, loopback unless told otherwise.</summary>
public sealed class DemoSignInTests
{
    [Fact]
    public async Task The_demo_sign_in_page_holds_no_password_and_signs_members_in_with_one_click_but_never_the_operator()
    {
        await using var server = await InMailServer.StartAsync(Database.Sqlite, new Dictionary<string, string?> { ["InMail:Mode"] = "Demo" });
        var browser = new ErrorPageTests.Browser(server);

        var page = await (await browser.GetAsync("/sign-in")).Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.DoesNotContain(DemoNetwork.OperatorPassword, page, StringComparison.Ordinal);
        Assert.DoesNotContain(DemoNetwork.MemberPassword, page, StringComparison.Ordinal);
        Assert.DoesNotContain("type=\"hidden\" name=\"Password\"", page, StringComparison.Ordinal);
        Assert.Contains("Sign in as Maya Chen", page, StringComparison.Ordinal);
        Assert.Contains("id=\"password-of-operator\" name=\"Password\" type=\"password\"", page, StringComparison.Ordinal);

        foreach (var member in new[] { DemoNetwork.OperatorId, "nobody", "" })
        {
            var refused = await browser.PostFormAsync("/sign-in?handler=Demo", new() { ["Member"] = member }, token: await browser.FormTokenAsync("/sign-in"));
            Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
        }
        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync("/inbox")).StatusCode); // still signed out

        var oneClick = await browser.PostFormAsync("/sign-in?handler=Demo", new() { ["Member"] = "maya.chen" }, token: await browser.FormTokenAsync("/sign-in"));
        Assert.Equal(HttpStatusCode.Redirect, oneClick.StatusCode);
        Assert.Equal("/inbox", oneClick.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/inbox")).StatusCode);
    }

    [Fact]
    public async Task Outside_demo_mode_there_is_no_one_click_sign_in()
    {
        await using var server = await InMailServer.StartAsync(Database.Sqlite);
        await server.MemberAsync("maya.chen");
        var browser = new ErrorPageTests.Browser(server);

        var refused = await browser.PostFormAsync("/sign-in?handler=Demo", new() { ["Member"] = "maya.chen" }, token: await browser.FormTokenAsync("/sign-in"));

        Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync("/inbox")).StatusCode);
    }

    [Fact]
    public void Demo_mode_says_whether_it_listens_on_loopback_only()
    {
        Assert.Contains("loopback only", ServiceSetup.DemoReach([ServiceSetup.DefaultUrl]), StringComparison.Ordinal);
        Assert.Contains("loopback only", ServiceSetup.DemoReach(["http://127.0.0.1:5080", "http://[::1]:5080"]), StringComparison.Ordinal);
        Assert.Contains("beyond loopback", ServiceSetup.DemoReach(["http://0.0.0.0:5080"]), StringComparison.Ordinal);
        Assert.Contains("beyond loopback", ServiceSetup.DemoReach(["http://127.0.0.1:5080", "http://192.168.1.20:5080"]), StringComparison.Ordinal);
        Assert.Contains("beyond loopback", ServiceSetup.DemoReach(["http://+:5080"]), StringComparison.Ordinal);
    }

    [Fact]
    public void The_configuration_files_are_not_watched_so_the_database_beside_them_wakes_no_watcher_unless_the_operator_asks()
    {
        static List<bool> Reloading(string[] args) =>
            [.. ((IConfigurationRoot)WebApplication.CreateBuilder(ServiceSetup.TranslateArguments(args)).Configuration).Providers
                .OfType<Microsoft.Extensions.Configuration.Json.JsonConfigurationProvider>().Select(p => p.Source.ReloadOnChange)];

        var standard = Reloading(["--test-mode"]);
        Assert.NotEmpty(standard); // appsettings.json is read…
        Assert.All(standard, Assert.False); // …once
        Assert.All(Reloading(["--hostBuilder:reloadConfigOnChange=true"]), Assert.True);
    }
}
