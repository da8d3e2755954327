using System.Net;
using System.Text.RegularExpressions;
using InMail.Domain.Commands;
using InMail.Web.Security;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using static InMail.Integration.Tests.Api.ApiClient;

namespace InMail.Integration.Tests.Api;

/// <summary>
/// A person in a browser who hits an error gets an HTML page in the site's layout, with the status
/// kept, the request id for support and a way on; the API's paths keep their problems (decision 005).
/// </summary>
public sealed partial class ErrorPageTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_unknown_address_gets_the_not_found_page_with_the_request_id_and_a_way_to_sign_in()
    {
        await using var server = await InMailServer.StartAsync(Database.Sqlite);
        var browser = new Browser(server);

        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/nope", UriKind.Relative));
        request.Headers.Add("X-Request-Id", "support-ticket-42");
        var page = await ErrorPage(await browser.Http.SendAsync(request, Ct), HttpStatusCode.NotFound, "Page not found");
        Assert.Equal("support-ticket-42", RequestIdOn(page)); // the failed request's own id, as on its log lines
        Assert.Contains("We could not find that page", page, StringComparison.Ordinal);
        Assert.Contains("href=\"/sign-in\"", page, StringComparison.Ordinal);
        Assert.DoesNotContain("aria-label=\"Main\"", page, StringComparison.Ordinal); // nobody is signed in: no navigation

        // Asked for directly, a status's page comes with that status; anything outside 400–599 is simply not found.
        await ErrorPage(await browser.GetAsync("/error/404"), HttpStatusCode.NotFound, "Page not found");
        await ErrorPage(await browser.GetAsync("/error/503"), HttpStatusCode.ServiceUnavailable, "Not saved");
        foreach (var path in new[] { "/error/200", "/error/302", "/error/600", "/error/99999999999", "/error/abc" })
        {
            await ErrorPage(await browser.GetAsync(path), HttpStatusCode.NotFound, "Page not found");
        }
    }

    [Fact]
    public async Task A_signed_in_member_gets_the_not_found_page_in_the_layout_for_a_conversation_or_page_that_is_not_theirs()
    {
        await using var server = await InMailServer.StartAsync(Database.Sqlite);
        var browser = await Browser.SignedInAsync(server, "alice");

        foreach (var path in new[] { "/inbox/nobody", "/team", "/demo-clock", "/nope" })
        {
            var response = await browser.GetAsync(path);
            var page = await ErrorPage(response, HttpStatusCode.NotFound, "Page not found");
            Assert.Equal(Assert.Single(response.Headers.GetValues("X-Request-Id")), RequestIdOn(page));
            Assert.Contains("aria-label=\"Main\"", page, StringComparison.Ordinal); // the member's navigation
            Assert.Contains("<a class=\"button\" href=\"/inbox\">Back to your inbox</a>", page, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_seat_sees_its_team_read_only_and_the_admins_forms_are_not_found_for_it()
    {
        await using var server = await InMailServer.StartAsync(Database.Sqlite);
        var alice = await server.MemberAsync("alice");
        var bob = await Browser.SignedInAsync(server, "bob"); // registers bob
        await server.MemberAsync("carol");
        await ApiClient.Expect(await alice.PostAsync("/api/v1/teams", new { id = "north", plan = "sales-navigator-advanced", seats = new[] { "alice", "bob" } }), HttpStatusCode.Created);
        await ApiClient.Expect(await bob.PostFormAsync("/team?handler=Accept&team=north", [], token: await bob.FormTokenAsync("/team")), HttpStatusCode.Redirect);

        var page = await (await bob.GetAsync("/team")).Content.ReadAsStringAsync(Ct);
        Assert.Contains("You hold a seat on this team", page, StringComparison.Ordinal);
        Assert.DoesNotContain("Offer seat", page, StringComparison.Ordinal);

        var response = await bob.PostFormAsync("/team?handler=OfferSeat", new() { ["Seat"] = "carol" }, token: await bob.FormTokenAsync("/team"));
        await ErrorPage(response, HttpStatusCode.NotFound, "Page not found");
        Assert.Equal(2, (await alice.GetJson("/api/v1/teams/north"))["seats"]!.AsArray().Count);
    }

    [Fact]
    public async Task A_form_sent_without_its_antiforgery_token_gets_the_expired_page_and_changes_nothing()
    {
        await using var server = await InMailServer.StartAsync(Database.Sqlite);
        var browser = await Browser.SignedInAsync(server, "alice");

        var response = await browser.PostFormAsync("/settings", new() { ["InMail"] = "false" }, withToken: false);
        var page = await ErrorPage(response, HttpStatusCode.BadRequest, "The page had expired");
        Assert.Contains("Go back, reload the page and try again", page, StringComparison.Ordinal);

        var alice = server.As(await server.Anonymous().SignInAsync("alice", Password));
        Assert.True((await alice.GetJson("/api/v1/members/alice/settings"))["inMail"]!.GetValue<bool>());
    }

    [Fact]
    public async Task The_api_health_openapi_and_bench_paths_keep_their_problems()
    {
        await using var server = await InMailServer.StartAsync(Database.Sqlite);
        var anonymous = server.Anonymous();
        await Refused(await anonymous.GetAsync("/api/v1/nope"), HttpStatusCode.NotFound, "not-found");
        await Refused(await anonymous.GetAsync("/api/nope"), HttpStatusCode.NotFound, "not-found");
        await Refused(await anonymous.GetAsync("/openapi/nope"), HttpStatusCode.NotFound, "not-found");
        await Refused(await anonymous.GetAsync("/health/nope"), HttpStatusCode.NotFound, "not-found");
        await Refused(await anonymous.GetAsync("/bench/noop"), HttpStatusCode.MethodNotAllowed, "method-not-allowed");
        await Refused(await anonymous.GetAsync("/api/v1/conversations"), HttpStatusCode.Unauthorized, "unauthenticated");

        var alice = await server.MemberAsync("alice");
        await Refused(await alice.GetAsync("/api/v1/conversations?limit=lots"), HttpStatusCode.BadRequest, "invalid-input");
        await Refused(await alice.GetAsync("/api/v1/members/ghost"), HttpStatusCode.NotFound, "unknown-member");

        // A browser's session on the API is still answered as the API.
        var browser = await Browser.SignedInAsync(server, "bob");
        await Refused(await browser.GetAsync("/api/v1/conversations/nobody"), HttpStatusCode.NotFound, "unknown-member");
    }

    [Fact]
    public async Task Loading_the_sign_in_page_takes_no_permit_and_the_attempt_over_the_limit_gets_the_html_page()
    {
        await using var server = await InMailServer.StartAsync(Database.Sqlite, new Dictionary<string, string?> { ["InMail:SignInsPerMinute"] = "3" });
        // Registered without HTTP: registering through the API is an attempt too.
        var registered = await server.Services.GetRequiredService<Accounts>().RegisterAsync(new AddMember("alice", "Alice"), Password, cancellationToken: TestContext.Current.CancellationToken);
        Assert.True(registered.IsSuccess);
        var browser = new Browser(server);

        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/sign-in")).StatusCode);
        }
        var wrong = await browser.SignInAsync("alice", "not the password");
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        var refused = await wrong.Content.ReadAsStringAsync(Ct);
        Assert.Contains("That member id and password do not match.", refused, StringComparison.Ordinal);
        Assert.Contains("(invalid-credentials)", refused, StringComparison.Ordinal); // the API's code for the same refusal
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.SignInAsync("alice", "not it either")).StatusCode);
        var signedIn = await browser.SignInAsync("alice", Password); // the third attempt of three, after ten visits
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.Equal("/inbox", signedIn.Headers.Location?.OriginalString);

        var limited = await browser.SignInAsync("alice", Password);
        var page = await ErrorPage(limited, HttpStatusCode.TooManyRequests, "Too many attempts");
        Assert.Contains("Wait a minute, then try again.", page, StringComparison.Ordinal);
        Assert.Equal("60", Assert.Single(limited.Headers.GetValues("Retry-After")));

        // The page still loads, and the API's sign-in, limited by the same count, still answers with its problem.
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/sign-in")).StatusCode);
        var api = await server.Anonymous().PostAsync("/api/v1/auth/token", new { member = "alice", password = Password });
        await Refused(api, HttpStatusCode.TooManyRequests, "rate-limited");
        Assert.Equal("60", Assert.Single(api.Headers.GetValues("Retry-After")));
    }

    [Fact]
    public async Task A_database_that_refuses_writes_gets_the_not_saved_page_and_the_api_its_problem()
    {
        await using var server = await InMailServer.StartAsync(Database.Sqlite);
        var browser = await Browser.SignedInAsync(server, "alice");
        var alice = server.As(await server.Anonymous().SignInAsync("alice", Password));
        var form = await browser.FormTokenAsync("/settings");

        // Another writer of the file makes every append to the log fail: the store answers StoreUnavailableException.
        Sql(server, "CREATE TRIGGER refuse_all BEFORE INSERT ON command_log BEGIN SELECT RAISE(ABORT, 'the disk is full'); END");
        var response = await browser.PostFormAsync("/settings", new() { ["InMail"] = "false" }, token: form);
        var page = await ErrorPage(response, HttpStatusCode.ServiceUnavailable, "Not saved");
        Assert.Contains("The change could not be saved; nothing was done. Try again.", page, StringComparison.Ordinal);
        Assert.Contains("aria-label=\"Main\"", page, StringComparison.Ordinal);
        await Refused(await alice.PatchAsync("/api/v1/members/alice/settings", new { inmail = false }), HttpStatusCode.ServiceUnavailable, "unavailable");

        Sql(server, "DROP TRIGGER refuse_all");
        var saved = await browser.PostFormAsync("/settings", new() { ["InMail"] = "false" }, token: form);
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.False((await alice.GetJson("/api/v1/members/alice/settings"))["inMail"]!.GetValue<bool>());
    }

    /// <summary>Asserts the error page: the status, HTML (no JSON) in the layout, one h1, the status and request id shown; returns the HTML.</summary>
    private static async Task<string> ErrorPage(HttpResponseMessage response, HttpStatusCode status, string heading)
    {
        var html = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == status, $"{response.RequestMessage?.RequestUri}: expected {(int)status}, got {(int)response.StatusCode}: {html}");
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.StartsWith("<!DOCTYPE html>", html.TrimStart(), StringComparison.Ordinal);
        Assert.DoesNotContain("\"type\":", html, StringComparison.Ordinal);
        Assert.Equal(heading, Assert.Single(H1().Matches(html)).Groups[1].Value);
        Assert.Contains($"<title>{heading} · InMail</title>", html, StringComparison.Ordinal);
        Assert.Contains($"Error <span data-testid=\"status\">{(int)status}</span>", html, StringComparison.Ordinal);
        Assert.False(string.IsNullOrWhiteSpace(RequestIdOn(html)));
        Assert.Contains("default-src 'self'", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        return html;
    }

    private static string RequestIdOn(string html) => RequestId().Match(html) is { Success: true } m ? WebUtility.HtmlDecode(m.Groups[1].Value) : "";

    private static void Sql(InMailServer server, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={server.Settings["InMail:Sqlite"]};Pooling=False;Default Timeout=30");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    [GeneratedRegex("<h1[^>]*>(.*?)</h1>", RegexOptions.Singleline)]
    private static partial Regex H1();

    [GeneratedRegex("data-testid=\"request-id\">([^<]*)</code>")]
    private static partial Regex RequestId();

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex Token();

    /// <summary>What a browser does, without script: keeps cookies, does not follow redirects, posts forms with their antiforgery token.</summary>
    /// <summary>A browser on the pages: cookies kept, redirects not followed, forms posted with their antiforgery token.</summary>
    internal sealed class Browser(InMailServer server)
    {
        public HttpClient Http { get; } = server.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

        public static async Task<Browser> SignedInAsync(InMailServer server, string member)
        {
            await server.MemberAsync(member);
            var browser = new Browser(server);
            var response = await browser.SignInAsync(member, Password);
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            return browser;
        }

        public Task<HttpResponseMessage> GetAsync(string path) => Http.GetAsync(new Uri(path, UriKind.Relative), Ct);

        /// <summary>The antiforgery token of the page's form (its cookie is kept by the client).</summary>
        public async Task<string> FormTokenAsync(string path)
        {
            var response = await GetAsync(path);
            var html = await response.Content.ReadAsStringAsync(Ct);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode} {html}");
            return WebUtility.HtmlDecode(Token().Match(html).Groups[1].Value);
        }

        public async Task<HttpResponseMessage> SignInAsync(string member, string password) =>
            await PostFormAsync("/sign-in", new() { ["Member"] = member, ["Password"] = password }, token: await FormTokenAsync("/sign-in"));

        public async Task<HttpResponseMessage> PostFormAsync(string path, Dictionary<string, string> fields, string? token = null, bool withToken = true)
        {
            if (withToken)
            {
                fields["__RequestVerificationToken"] = token ?? await FormTokenAsync(path);
            }
            using var content = new FormUrlEncodedContent(fields);
            return await Http.PostAsync(new Uri(path, UriKind.Relative), content, Ct);
        }
    }
}
