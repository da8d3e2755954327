using System.Net;
using static InMail.Integration.Tests.Api.ApiClient;

namespace InMail.Integration.Tests.Api;

/// <summary>Every endpoint through HTTP, with its refusals, on a fresh database per test; run on SQLite and on PostgreSQL.</summary>
public abstract class ApiContract
{
    protected abstract Database Database { get; }

    protected Task<InMailServer> Server(IReadOnlyDictionary<string, string?>? overrides = null) => InMailServer.StartAsync(Database, overrides);

    /// <summary>A member on a paid plan with credits to spend.</summary>
    internal static async Task<ApiClient> Subscribed(InMailServer server, string id, string plan = "premium-business")
    {
        var client = await server.MemberAsync(id);
        await Expect(await client.PostAsync($"/api/v1/members/{id}/subscription", new { plan, billing = "monthly" }), HttpStatusCode.Created);
        return client;
    }

    private static Task<HttpResponseMessage> Send(ApiClient from, string to, string? subject = "Hello", string? body = "Are you open to a chat?", string? key = null) =>
        from.PostAsync("/api/v1/messages", new { to, subject, body }, key);

    private static async Task<int> Usable(ApiClient client, string id) => (await client.GetJson($"/api/v1/members/{id}/credits"))["usable"]!.GetValue<int>();

    [Fact]
    public async Task One_name_per_idea_and_what_is_created_says_where_it_is()
    {
        await using var server = await Server();
        var anonymous = server.Anonymous();
        var created = await anonymous.PostAsync("/api/v1/auth/register", new { member = "dana", name = "Dana", password = Password, timeZone = "Europe/Paris" });
        await Expect(created, HttpStatusCode.Created);
        Assert.Equal("/api/v1/members/dana", created.Headers.Location?.OriginalString);
        // The old names are still read, for one release; both at once is ambiguous.
        await Expect(await anonymous.PostAsync("/api/v1/auth/register", new { id = "eli", name = "Eli", password = Password, timezone = "Asia/Tokyo" }), HttpStatusCode.Created);
        await Refused(await anonymous.PostAsync("/api/v1/auth/register", new { id = "fay", member = "fay", name = "Fay", password = Password }), HttpStatusCode.BadRequest, "invalid-input");
        var dana = server.As(await anonymous.SignInAsync("dana", Password));
        Assert.Equal("Europe/Paris", (await dana.GetJson("/api/v1/members/me"))["timeZone"]!.GetValue<string>());
        Assert.Equal("Asia/Tokyo", (await dana.GetJson("/api/v1/members/eli"))["timeZone"]!.GetValue<string>());

        var amara = await Subscribed(server, "amara");
        var sent = await amara.PostAsync("/api/v1/messages", new { to = "dana", subject = "Hello", body = "Are you open to a chat?" });
        var message = await Expect(sent, HttpStatusCode.Created);
        Assert.Equal($"/api/v1/messages/{message["message"]!["id"]!.GetValue<string>()}", sent.Headers.Location?.OriginalString);
        await amara.GetJson(sent.Headers.Location!.OriginalString);

        // The balance as of an instant has its own schema in the document (the validator checks it), and a change to basic answers with the subscription that ended.
        Assert.NotNull((await amara.GetJson($"/api/v1/members/amara/credits?asOf={Uri.EscapeDataString(InMailServer.Start.ToString("O"))}"))["balance"]);
        var ended = await amara.Ok(await amara.PutAsync("/api/v1/members/amara/subscription", new { plan = "basic" }));
        Assert.Equal("premium-business", ended["plan"]!.GetValue<string>());
        Assert.NotNull(ended["endsAt"]);
        await Refused(await amara.GetAsync("/api/v1/members/amara/subscription"), HttpStatusCode.NotFound, "no-subscription");
    }

    [Fact]
    public async Task The_catalog_and_the_api_documentation_are_public()
    {
        await using var server = await Server();
        var anonymous = server.Anonymous();

        var catalog = await anonymous.GetJson("/api/v1/plans");
        var plans = catalog["plans"]!.AsArray().Select(p => p!["id"]!.GetValue<string>()).ToList();
        Assert.Contains("premium-business", plans);
        Assert.Contains("basic", plans);
        Assert.Equal(90, catalog["refundWindowDays"]!.GetValue<int>());
        Assert.NotEmpty(catalog["packs"]!.AsArray());

        var openApi = await anonymous.GetJson("/openapi/v1.json");
        var paths = openApi["paths"]!.AsObject().Select(p => p.Key).ToList();
        foreach (var path in new[] { "/api/v1/messages", "/api/v1/quotes", "/api/v1/conversations", "/api/v1/members/{id}/credits", "/api/v1/teams", "/api/v1/operator/members/{id}/bonuses" })
        {
            Assert.Contains(path, paths);
        }
        var docs = await anonymous.GetAsync("/api/docs/index.html");
        Assert.Equal(HttpStatusCode.OK, docs.StatusCode);
        Assert.Contains("html", (await docs.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).ToLowerInvariant(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Members_register_sign_in_and_out_and_wrong_passwords_are_refused()
    {
        await using var server = await Server();
        var anonymous = server.Anonymous();
        var alice = await server.MemberAsync("alice", "Alice Adams");

        var me = await alice.GetJson("/api/v1/auth/me");
        Assert.Equal("alice", me["member"]!.GetValue<string>());
        Assert.Equal("member", me["role"]!.GetValue<string>());
        Assert.Equal("basic", me["plan"]!.GetValue<string>());

        var token = await anonymous.SignInAsync("alice", Password);
        Assert.StartsWith("imt_", token, StringComparison.Ordinal);
        await Refused(await anonymous.PostAsync("/api/v1/auth/token", new { member = "alice", password = "wrong password!" }), HttpStatusCode.Unauthorized, "invalid-credentials");
        await Refused(await anonymous.PostAsync("/api/v1/auth/token", new { member = "nobody", password = Password }), HttpStatusCode.Unauthorized, "invalid-credentials");
        // No member id holds a NUL; PostgreSQL refuses the text itself, which was a 500.
        await Refused(await anonymous.PostAsync("/api/v1/auth/token", new { member = "alice\u0000", password = Password }), HttpStatusCode.Unauthorized, "invalid-credentials");
        await Refused(await anonymous.PostAsync("/api/v1/auth/sign-in", new { member = "alice\u0000", password = Password }), HttpStatusCode.Unauthorized, "invalid-credentials");
        await Refused(await anonymous.PostAsync("/api/v1/auth/register", new { id = "bob", name = "Bob", password = "short" }), HttpStatusCode.BadRequest, "invalid-input");
        await Refused(await anonymous.PostAsync("/api/v1/auth/register", new { member = "alice", name = "Alice Again", password = Password }), HttpStatusCode.Conflict, "member-id-taken");
        await Refused(await anonymous.PostAsync("/api/v1/auth/register", new { member = "bad id!", name = "X", password = Password }), HttpStatusCode.BadRequest, "invalid-input");
        await Refused(await anonymous.PostAsync("/api/v1/auth/register", new { id = "operator", name = "Not the operator", password = Password }), HttpStatusCode.BadRequest, "member-id-reserved");

        var signedIn = server.As(token);
        await Expect(await signedIn.PostAsync("/api/v1/auth/sign-out"), HttpStatusCode.NoContent);
        await Refused(await signedIn.GetAsync("/api/v1/auth/me"), HttpStatusCode.Unauthorized, "unauthenticated");
        await Refused(await anonymous.GetAsync("/api/v1/auth/me"), HttpStatusCode.Unauthorized, "unauthenticated");
        await Refused(await server.As("imt_not-a-real-token").GetAsync("/api/v1/auth/me"), HttpStatusCode.Unauthorized, "unauthenticated");
        await alice.GetJson("/api/v1/auth/me"); // the first token still works
    }

    [Fact]
    public async Task Cookie_sign_in_works_for_the_pages_and_the_api()
    {
        await using var server = await Server();
        await server.MemberAsync("alice");
        var browser = new ApiClient(server.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { HandleCookies = true, AllowAutoRedirect = false }));
        browser.Http.DefaultRequestHeaders.Add("Origin", "http://localhost"); // the site's own pages: writes with the cookie need it (SecurityContract)

        await Refused(await browser.PostAsync("/api/v1/auth/sign-in", new { member = "alice", password = "nope nope nope" }), HttpStatusCode.Unauthorized, "invalid-credentials");
        var signIn = await browser.PostAsync("/api/v1/auth/sign-in", new { member = "alice", password = Password });
        await Expect(signIn, HttpStatusCode.NoContent);
        var cookie = Assert.Single(signIn.Headers.GetValues("Set-Cookie"));
        Assert.Contains("httponly", cookie.ToLowerInvariant(), StringComparison.Ordinal);
        Assert.Contains("samesite=strict", cookie.ToLowerInvariant(), StringComparison.Ordinal);

        Assert.Equal("alice", (await browser.GetJson("/api/v1/auth/me"))["member"]!.GetValue<string>());
        await Expect(await browser.PostAsync("/api/v1/auth/sign-out"), HttpStatusCode.NoContent);
        await Refused(await browser.GetAsync("/api/v1/auth/me"), HttpStatusCode.Unauthorized, "unauthenticated");
    }

    [Fact]
    public async Task Profiles_settings_and_the_member_directory()
    {
        await using var server = await Server();
        var alice = await server.MemberAsync("alice");
        var bob = await server.MemberAsync("bob");

        var profile = await alice.Ok(await alice.PutAsync("/api/v1/members/me/profile", new { name = "Alice Adams", headline = "Recruiter", company = "Acme", timezone = "Europe/London" }));
        Assert.Equal("Recruiter", profile["headline"]!.GetValue<string>());
        await Refused(await alice.PutAsync("/api/v1/members/alice/profile", new { name = "" }), HttpStatusCode.BadRequest, "invalid-input");

        var found = await bob.GetJson("/api/v1/members?q=acme");
        Assert.Equal("alice", Assert.Single(found.AsArray())!["id"]!.GetValue<string>());
        var seen = await bob.GetJson("/api/v1/members/alice");
        Assert.Equal("Europe/London", seen["timeZone"]!.GetValue<string>());
        Assert.False(seen["connected"]!.GetValue<bool>());
        await Refused(await bob.GetAsync("/api/v1/members/nobody"), HttpStatusCode.NotFound, "unknown-member");

        var settings = await alice.GetJson("/api/v1/members/alice/settings");
        Assert.True(settings["inMail"]!.GetValue<bool>());
        var changed = await alice.Ok(await alice.PatchAsync("/api/v1/members/alice/settings", new { inmail = false }));
        Assert.False(changed["inMail"]!.GetValue<bool>());
        Assert.True(changed["groupMessages"]!.GetValue<bool>());
        await Refused(await alice.PatchAsync("/api/v1/members/alice/settings", new { openProfile = true }), HttpStatusCode.UnprocessableEntity, "open-profile-requires-premium");
    }

    [Fact]
    public async Task The_member_directory_pages_by_name_with_a_next_link()
    {
        await using var server = await Server();
        var bob = await server.MemberAsync("bob", "Bob Pager"); // the searcher is never among the results
        foreach (var i in Enumerable.Range(1, 45))
        {
            await server.MemberAsync($"p{i:00}", $"{(i % 2 == 0 ? "pager" : "Pager")} {46 - i:00}"); // names run against ids, some in lower case
        }

        var ids = new List<string>();
        string? next = "/api/v1/members?q=PAGER";
        var pages = 0;
        while (next is not null)
        {
            using var response = await bob.GetAsync(next);
            var page = (await Expect(response, HttpStatusCode.OK)).AsArray();
            pages++;
            Assert.Equal(pages < 3 ? 20 : 5, page.Count); // 20 a page by default
            ids.AddRange(page.Select(m => m!["id"]!.GetValue<string>()));
            next = response.Headers.TryGetValues("Link", out var links) ? Assert.Single(links).Split('<', '>')[1] : null;
            Assert.Equal(next is not null, response.Headers.Contains("X-Next-Cursor"));
        }
        Assert.Equal(3, pages);
        // Every member once, by name ("Pager 01" is p45), whatever the case of the name.
        Assert.Equal(Enumerable.Range(1, 45).Select(i => $"p{46 - i:00}"), ids);

        var two = await bob.GetAsync("/api/v1/members?q=pager&limit=2");
        Assert.Equal(["p45", "p44"], (await Expect(two, HttpStatusCode.OK)).AsArray().Select(m => m!["id"]!.GetValue<string>()));
        await Refused(await bob.GetAsync("/api/v1/members?q=pager&cursor=not-a-cursor"), HttpStatusCode.BadRequest, "invalid-input");
        await Refused(await bob.GetAsync("/api/v1/members?q=pager&cursor=%E2%82%AC"), HttpStatusCode.BadRequest, "invalid-input");
    }

    [Fact]
    public async Task Invitations_connections_and_their_refusals()
    {
        await using var server = await Server();
        var alice = await server.MemberAsync("alice");
        var bob = await server.MemberAsync("bob");
        var carol = await server.MemberAsync("carol");

        var invitation = await Expect(await alice.PostAsync("/api/v1/members/alice/invitations", new { to = "bob", note = "We met at the meetup" }), HttpStatusCode.Created);
        Assert.Equal("bob", invitation["to"]!.GetValue<string>());
        await Refused(await alice.PostAsync("/api/v1/members/alice/invitations", new { to = "bob" }), HttpStatusCode.Conflict, "invitation-pending");
        await Refused(await alice.PostAsync("/api/v1/members/alice/invitations", new { to = "carol", note = new string('x', 301) }), HttpStatusCode.BadRequest, "note-too-long");
        await Refused(await alice.PostAsync("/api/v1/members/alice/invitations", new { to = "ghost" }), HttpStatusCode.NotFound, "unknown-member");

        var waiting = await bob.GetJson("/api/v1/members/bob/invitations");
        Assert.Equal("alice", Assert.Single(waiting["received"]!.AsArray())!["from"]!.GetValue<string>());
        await Expect(await bob.PostAsync("/api/v1/members/bob/invitations/alice/accept"), HttpStatusCode.NoContent);
        await Refused(await bob.PostAsync("/api/v1/members/bob/invitations/alice/accept"), HttpStatusCode.NotFound, "invitation-not-found");
        await Refused(await alice.PostAsync("/api/v1/members/alice/invitations", new { to = "bob" }), HttpStatusCode.Conflict, "already-connected");
        Assert.Equal("bob", Assert.Single((await alice.GetJson("/api/v1/members/alice/connections")).AsArray())!["id"]!.GetValue<string>());
        Assert.True((await alice.GetJson("/api/v1/members/bob"))["connected"]!.GetValue<bool>());

        await Expect(await carol.PostAsync("/api/v1/members/carol/invitations", new { to = "alice" }), HttpStatusCode.Created);
        await Expect(await alice.PostAsync("/api/v1/members/alice/invitations/carol/ignore"), HttpStatusCode.NoContent);
        await Expect(await carol.PostAsync("/api/v1/members/carol/invitations", new { to = "bob" }), HttpStatusCode.Created);
        await Expect(await carol.DeleteAsync("/api/v1/members/carol/invitations/bob"), HttpStatusCode.NoContent);
        await Refused(await carol.PostAsync("/api/v1/members/carol/invitations", new { to = "bob" }), HttpStatusCode.TooManyRequests, "reinvite-too-soon");

        await Expect(await alice.DeleteAsync("/api/v1/members/alice/connections/bob"), HttpStatusCode.NoContent);
        Assert.Empty((await alice.GetJson("/api/v1/members/alice/connections")).AsArray());
    }

    [Fact]
    public async Task Blocks_and_groups()
    {
        await using var server = await Server();
        var alice = await Subscribed(server, "alice");
        var bob = await server.MemberAsync("bob");

        await Expect(await bob.PutAsync("/api/v1/members/bob/blocks/alice"), HttpStatusCode.NoContent);
        Assert.Single((await bob.GetJson("/api/v1/members/bob/blocks")).AsArray());
        await Refused(await Send(alice, "bob"), HttpStatusCode.UnprocessableEntity, "blocked");
        await Expect(await bob.DeleteAsync("/api/v1/members/bob/blocks/alice"), HttpStatusCode.NoContent);

        var group = await Expect(await alice.PostAsync("/api/v1/groups", new { id = "dotnet", name = ".NET people" }), HttpStatusCode.Created);
        Assert.True(group["joined"]!.GetValue<bool>());
        await Refused(await alice.PostAsync("/api/v1/groups", new { id = "dotnet", name = "Again" }), HttpStatusCode.BadRequest, "invalid-input");
        var joined = await bob.Ok(await bob.PostAsync("/api/v1/groups/dotnet/members"));
        Assert.Equal(2, joined["members"]!.GetValue<int>());
        Assert.Contains("dotnet", (await alice.GetJson("/api/v1/members/bob"))["sharedGroups"]!.AsArray().Select(g => g!.GetValue<string>()));

        var quote = await alice.Ok(await alice.PostAsync("/api/v1/quotes", new { to = "bob", subject = "Hi", body = "Group hello" }));
        Assert.Equal("group", quote["path"]!.GetValue<string>());
        Assert.Equal(0, quote["cost"]!.GetValue<int>());

        await Expect(await bob.DeleteAsync("/api/v1/groups/dotnet/members/bob"), HttpStatusCode.NoContent);
        await Refused(await bob.DeleteAsync("/api/v1/groups/dotnet/members/bob"), HttpStatusCode.BadRequest, "invalid-input");
        await Refused(await bob.PostAsync("/api/v1/groups/nope/members"), HttpStatusCode.NotFound, "unknown-group");
        Assert.Equal("inmail", (await alice.Ok(await alice.PostAsync("/api/v1/quotes", new { to = "bob", subject = "Hi", body = "x" })))["path"]!.GetValue<string>());
    }

    [Fact]
    public async Task Subscriptions_change_and_cancel_and_packs_and_bonuses()
    {
        await using var server = await Server();
        var alice = await server.MemberAsync("alice");
        var ops = await server.OperatorAsync();

        await Refused(await alice.GetAsync("/api/v1/members/alice/subscription"), HttpStatusCode.NotFound, "no-subscription");
        await Refused(await alice.PostAsync("/api/v1/members/alice/purchases", new { pack = 10 }), HttpStatusCode.UnprocessableEntity, "purchase-not-allowed");
        await Refused(await alice.PostAsync("/api/v1/members/alice/subscription", new { plan = "nope" }), HttpStatusCode.UnprocessableEntity, "unknown-plan");
        await Refused(await alice.PostAsync("/api/v1/members/alice/subscription", new { plan = "premium-career", billing = "annual" }), HttpStatusCode.UnprocessableEntity, "billing-not-offered");
        await Refused(await alice.PostAsync("/api/v1/members/alice/subscription", new { plan = "premium-career", billing = "weekly" }), HttpStatusCode.BadRequest, "invalid-input");

        var sub = await Expect(await alice.PostAsync("/api/v1/members/alice/subscription", new { plan = "premium-career" }), HttpStatusCode.Created);
        Assert.Equal("premium-career", sub["plan"]!.GetValue<string>());
        Assert.Equal(5, await Usable(alice, "alice"));
        await Refused(await alice.PostAsync("/api/v1/members/alice/subscription", new { plan = "premium-business" }), HttpStatusCode.Conflict, "already-subscribed");

        var changed = await alice.Ok(await alice.PutAsync("/api/v1/members/alice/subscription", new { plan = "premium-business", billing = "monthly" }));
        Assert.Equal("premium-business", changed["plan"]!.GetValue<string>());

        var credits = await Expect(await alice.PostAsync("/api/v1/members/alice/purchases", new { pack = 10 }), HttpStatusCode.Created);
        Assert.Contains(credits["lots"]!.AsArray(), l => l!["source"]!.GetValue<string>() == "purchase" && l["granted"]!.GetValue<int>() == 10);
        await Refused(await alice.PostAsync("/api/v1/members/alice/purchases", new { pack = 7 }), HttpStatusCode.UnprocessableEntity, "unknown-pack");

        var bonus = await Expect(await ops.PostAsync("/api/v1/operator/members/alice/bonuses", new { credits = 3, days = 30, reason = "Sorry for the outage" }), HttpStatusCode.Created);
        Assert.Equal("bonus", bonus["source"]!.GetValue<string>());
        await Refused(await ops.PostAsync("/api/v1/operator/members/ghost/bonuses", new { credits = 3, days = 30 }), HttpStatusCode.NotFound, "unknown-member");
        await Refused(await alice.PostAsync("/api/v1/operator/members/alice/bonuses", new { credits = 3, days = 30 }), HttpStatusCode.Forbidden, "forbidden");

        var cancelled = await alice.Ok(await alice.DeleteAsync("/api/v1/members/alice/subscription"));
        var endsAt = cancelled["endsAt"]!.GetValue<DateTimeOffset>();
        Assert.True(endsAt > InMailServer.Start);
        Assert.Equal(endsAt, (await alice.GetJson("/api/v1/members/alice/subscription"))["endsAt"]!.GetValue<DateTimeOffset>());
    }

    [Fact]
    public async Task Quote_send_and_every_send_refusal()
    {
        await using var server = await Server();
        var alice = await Subscribed(server, "alice", "premium-career");
        var bob = await server.MemberAsync("bob");
        var free = await server.MemberAsync("free");
        await server.MemberAsync("quiet");
        var quiet = server.As(await server.Anonymous().SignInAsync("quiet", Password));
        await quiet.PatchAsync("/api/v1/members/quiet/settings", new { inmail = false });

        var quote = await alice.Ok(await alice.PostAsync("/api/v1/quotes", new { to = "bob", subject = "Role", body = "Hi" }));
        Assert.Equal("inmail", quote["path"]!.GetValue<string>());
        Assert.Equal(1, quote["cost"]!.GetValue<int>());
        Assert.Equal(5, quote["creditsAvailable"]!.GetValue<int>());

        var sent = await Expect(await Send(alice, "bob"), HttpStatusCode.Created);
        Assert.Equal(1, sent["message"]!["cost"]!.GetValue<int>());
        Assert.Equal("inmail", sent["message"]!["path"]!.GetValue<string>());
        Assert.Equal(4, await Usable(alice, "alice"));
        // "Left" means one thing: the quote is as it stood before the send, creditsLeft what the credits endpoint says after it.
        Assert.Equal(5, sent["quote"]!["creditsAvailable"]!.GetValue<int>());
        Assert.Equal(4, sent["creditsLeft"]!.GetValue<int>());

        await Refused(await Send(alice, "alice"), HttpStatusCode.UnprocessableEntity, "self-message");
        await Refused(await Send(alice, "ghost"), HttpStatusCode.NotFound, "unknown-member");
        await Refused(await Send(alice, "free", subject: null), HttpStatusCode.BadRequest, "subject-required");
        await Refused(await Send(alice, "free", subject: new string('s', 201)), HttpStatusCode.BadRequest, "subject-too-long");
        await Refused(await Send(alice, "free", body: ""), HttpStatusCode.BadRequest, "body-required");
        await Refused(await Send(alice, "free", body: new string('b', 1901)), HttpStatusCode.BadRequest, "body-too-long");
        await Refused(await Send(alice, "free", body: "bad \u0007 bell"), HttpStatusCode.BadRequest, "invalid-characters");
        await Refused(await Send(alice, "quiet"), HttpStatusCode.UnprocessableEntity, "recipient-unavailable");
        await Refused(await Send(free, "bob"), HttpStatusCode.UnprocessableEntity, "inmail-requires-paid-plan");
        await Refused(await alice.PostAsync("/api/v1/quotes", new { to = "free", body = "x" }), HttpStatusCode.BadRequest, "subject-required");
        Assert.Equal(4, await Usable(alice, "alice")); // nothing refused was charged

        for (var i = 0; i < 4; i++)
        {
            await server.MemberAsync($"s{i}");
            await Expect(await Send(alice, $"s{i}"), HttpStatusCode.Created);
        }
        await Refused(await Send(alice, "free"), HttpStatusCode.UnprocessableEntity, "no-credits");
        await Refused(await alice.PostAsync("/api/v1/quotes", new { to = "free", subject = "Hi", body = "x" }), HttpStatusCode.UnprocessableEntity, "no-credits");
    }

    [Fact]
    public async Task An_idempotency_key_makes_a_retry_safe_and_a_reused_key_conflicts()
    {
        await using var server = await Server();
        var alice = await Subscribed(server, "alice");
        await server.MemberAsync("bob");

        var first = await Send(alice, "bob", key: "k-1");
        var firstBody = await Expect(first, HttpStatusCode.Created);
        Assert.False(first.Headers.Contains("Idempotent-Replayed"));
        var retry = await Send(alice, "bob", key: "k-1");
        var retryBody = await Expect(retry, HttpStatusCode.Created);
        Assert.Equal("true", Assert.Single(retry.Headers.GetValues("Idempotent-Replayed")));
        Assert.Equal(firstBody["message"]!["id"]!.GetValue<string>(), retryBody["message"]!["id"]!.GetValue<string>());
        Assert.Equal(14, await Usable(alice, "alice"));

        await Refused(await Send(alice, "bob", body: "Something else", key: "k-1"), HttpStatusCode.Conflict, "idempotency-conflict");
        await Refused(await Send(alice, "bob", key: new string('k', 300)), HttpStatusCode.BadRequest, "invalid-input");
        Assert.Equal(14, await Usable(alice, "alice"));

        var buy = await alice.PostAsync("/api/v1/members/alice/purchases", new { pack = 10 }, idempotencyKey: "buy-1");
        await Expect(buy, HttpStatusCode.Created);
        await Expect(await alice.PostAsync("/api/v1/members/alice/purchases", new { pack = 10 }, idempotencyKey: "buy-1"), HttpStatusCode.Created);
        Assert.Equal(24, await Usable(alice, "alice"));
    }

    [Fact]
    public async Task Conversations_unread_counts_read_archive_respond_refund_and_spam()
    {
        await using var server = await Server();
        var alice = await Subscribed(server, "alice");
        var bob = await server.MemberAsync("bob");
        var carol = await server.MemberAsync("carol");
        await Expect(await alice.PostAsync("/api/v1/members/alice/invitations", new { to = "carol" }), HttpStatusCode.Created);
        await Expect(await carol.PostAsync("/api/v1/members/carol/invitations/alice/accept"), HttpStatusCode.NoContent);

        var inmail = (await Expect(await Send(alice, "bob"), HttpStatusCode.Created))["message"]!["id"]!.GetValue<string>();
        await Expect(await Send(alice, "carol", subject: null, body: "Lunch?"), HttpStatusCode.Created);
        Assert.Equal(14, await Usable(alice, "alice"));

        var inbox = await bob.GetJson("/api/v1/conversations");
        Assert.Equal(1, inbox["unread"]!.GetValue<int>());
        var only = Assert.Single(inbox["conversations"]!.AsArray())!;
        Assert.Equal("alice", only["with"]!["id"]!.GetValue<string>());
        Assert.True(only["hasInMail"]!.GetValue<bool>());
        var aliceInbox = await alice.GetJson("/api/v1/conversations?filter=inmail");
        Assert.Equal("bob", Assert.Single(aliceInbox["conversations"]!.AsArray())!["with"]!["id"]!.GetValue<string>());
        Assert.Equal(2, (await alice.GetJson("/api/v1/conversations"))["total"]!.GetValue<int>());
        await Refused(await alice.GetAsync("/api/v1/conversations?filter=bogus"), HttpStatusCode.BadRequest, "invalid-input");

        var thread = await bob.GetJson("/api/v1/conversations/alice");
        Assert.Equal(inmail, Assert.Single(thread["messages"]!.AsArray())!["id"]!.GetValue<string>());
        Assert.Equal(1, (await bob.Ok(await bob.PostAsync("/api/v1/conversations/alice/read")))["marked"]!.GetValue<int>());
        Assert.Equal(0, (await bob.GetJson("/api/v1/conversations"))["unread"]!.GetValue<int>());
        await Refused(await bob.GetAsync("/api/v1/conversations/carol"), HttpStatusCode.NotFound, "unknown-member");
        Assert.Equal(inmail, (await bob.GetJson($"/api/v1/messages/{inmail}"))["id"]!.GetValue<string>());
        await Refused(await carol.GetAsync($"/api/v1/messages/{inmail}"), HttpStatusCode.NotFound, "unknown-message");

        await Refused(await alice.PostAsync($"/api/v1/messages/{inmail}/responses", new { kind = "accept" }), HttpStatusCode.Forbidden, "not-the-recipient");
        await Refused(await bob.PostAsync("/api/v1/messages/nope/responses", new { kind = "accept" }), HttpStatusCode.NotFound, "unknown-message");
        await Refused(await bob.PostAsync($"/api/v1/messages/{inmail}/responses", new { kind = "maybe" }), HttpStatusCode.BadRequest, "invalid-input");
        server.Clock.Advance(TimeSpan.FromDays(3));
        var responded = await Expect(await bob.PostAsync($"/api/v1/messages/{inmail}/responses", new { kind = "accept", body = "Sure, let's talk" }), HttpStatusCode.Created);
        Assert.Equal(1, responded["creditsRefunded"]!.GetValue<int>());
        Assert.Equal(15, await Usable(alice, "alice"));

        var archived = await alice.Ok(await alice.PutAsync("/api/v1/conversations/carol/archived", new { archived = true }));
        Assert.True(archived["archived"]!.GetValue<bool>());
        Assert.Equal("carol", Assert.Single((await alice.GetJson("/api/v1/conversations?archived=true"))["conversations"]!.AsArray())!["with"]!["id"]!.GetValue<string>());

        var spam = (await Expect(await Send(alice, "carol", subject: null, body: "Buy my course"), HttpStatusCode.Created))["message"]!["id"]!.GetValue<string>();
        await Refused(await carol.PostAsync($"/api/v1/messages/{spam}/spam-reports"), HttpStatusCode.UnprocessableEntity, "not-an-inmail");
        await server.MemberAsync("dan");
        var dan = server.As(await server.Anonymous().SignInAsync("dan", Password));
        var pitch = (await Expect(await Send(alice, "dan"), HttpStatusCode.Created))["message"]!["id"]!.GetValue<string>();
        var reported = await Expect(await dan.PostAsync($"/api/v1/messages/{pitch}/spam-reports"), HttpStatusCode.Created);
        Assert.True(reported["reportedAsSpam"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Credits_now_as_of_a_past_instant_and_the_ledger_that_explains_them()
    {
        await using var server = await Server();
        var alice = await Subscribed(server, "alice");
        await server.MemberAsync("bob");
        var beforeSend = server.Clock.GetUtcNow();
        server.Clock.Advance(TimeSpan.FromHours(1));
        var sent = (await Expect(await Send(alice, "bob"), HttpStatusCode.Created))["message"]!["id"]!.GetValue<string>();

        var credits = await alice.GetJson("/api/v1/members/alice/credits");
        Assert.Equal(14, credits["usable"]!.GetValue<int>());
        Assert.Equal(sent, Assert.Single(credits["mayComeBack"]!.AsArray())!["messageId"]!.GetValue<string>());
        Assert.Equal(14, credits["lots"]!.AsArray().Sum(l => l!["remaining"]!.GetValue<int>()));

        var then = await alice.GetJson($"/api/v1/members/alice/credits?asOf={Uri.EscapeDataString(beforeSend.ToString("O"))}");
        Assert.Equal(15, then["balance"]!.GetValue<int>());
        Assert.Equal("grant", Assert.Single(then["entries"]!.AsArray())!["kind"]!.GetValue<string>());
        await Refused(await alice.GetAsync("/api/v1/members/alice/credits?asOf=yesterday"), HttpStatusCode.BadRequest, "invalid-input");
        await Refused(await alice.GetAsync("/api/v1/members/alice/credits?asOf=2099-01-01T00:00:00Z"), HttpStatusCode.BadRequest, "invalid-input");

        var ledger = (await alice.GetJson("/api/v1/members/alice/ledger")).AsArray();
        Assert.Equal(["grant", "spend"], ledger.Select(e => e!["kind"]!.GetValue<string>()));
        Assert.Equal([15, 14], ledger.Select(e => e!["balance"]!.GetValue<int>()));
        Assert.Equal(sent, ledger[1]!["messageId"]!.GetValue<string>());
    }

    [Fact]
    public async Task Teams_seats_caps_and_who_may_manage_them()
    {
        await using var server = await Server();
        var admin = await server.MemberAsync("boss");
        var seat = await server.MemberAsync("seat");
        var outsider = await server.MemberAsync("outsider");
        var newbie = await server.MemberAsync("newbie");
        await server.MemberAsync("target");

        await Refused(await admin.PostAsync("/api/v1/teams", new { id = "t1", plan = "premium-business", seats = new[] { "boss" } }), HttpStatusCode.BadRequest, "invalid-input");
        await Refused(await admin.PostAsync("/api/v1/teams", new { id = "t1", plan = "sales-navigator-advanced", seats = new[] { "seat" } }), HttpStatusCode.BadRequest, "invalid-input");
        var team = await Expect(await admin.PostAsync("/api/v1/teams", new { id = "t1", plan = "sales-navigator-advanced", seats = new[] { "boss", "seat" }, seatCap = 1 }), HttpStatusCode.Created);
        Assert.Equal("boss", team["admin"]!.GetValue<string>());
        Assert.Equal(50, team["poolCredits"]!.GetValue<int>()); // the seat offered is not held yet
        Assert.Equal("seat", Assert.Single(team["offers"]!.AsArray())!["member"]!.GetValue<string>());
        await Expect(await seat.PostAsync("/api/v1/members/me/seat-offers/t1/accept"), HttpStatusCode.OK);

        Assert.Equal(2, (await seat.GetJson("/api/v1/teams/t1"))["seats"]!.AsArray().Count);
        await Refused(await outsider.GetAsync("/api/v1/teams/t1"), HttpStatusCode.NotFound, "unknown-team");
        await Refused(await seat.PostAsync("/api/v1/teams/t1/seats", new { member = "newbie" }), HttpStatusCode.Forbidden, "forbidden");
        await Refused(await outsider.PostAsync("/api/v1/teams/t1/seats", new { member = "outsider" }), HttpStatusCode.NotFound, "unknown-team");
        await Refused(await seat.GetAsync("/api/v1/teams/t1/ledger"), HttpStatusCode.NotFound, "unknown-team");
        Assert.NotEmpty((await admin.GetJson("/api/v1/teams/t1/ledger")).AsArray());

        await Expect(await admin.PostAsync("/api/v1/teams/t1/seats", new { member = "newbie" }), HttpStatusCode.OK);
        await Refused(await admin.PostAsync("/api/v1/teams/t1/seats", new { member = "newbie" }), HttpStatusCode.Conflict, "team-seat-conflict");
        await Refused(await admin.PostAsync("/api/v1/teams/t1/seats", new { member = "ghost" }), HttpStatusCode.NotFound, "unknown-member");
        await Expect(await newbie.PostAsync("/api/v1/members/newbie/seat-offers/t1/accept"), HttpStatusCode.OK);

        Assert.Equal(1, (await seat.GetJson("/api/v1/members/seat/credits"))["seatCapLeft"]!.GetValue<int>());
        await Expect(await Send(seat, "target"), HttpStatusCode.Created);
        await server.MemberAsync("target2");
        await Refused(await Send(seat, "target2"), HttpStatusCode.TooManyRequests, "seat-cap-reached");
        Assert.Null((await admin.Ok(await admin.PutAsync("/api/v1/teams/t1/seat-cap", new { seatCap = (int?)null })))["seatCap"]);
        await Expect(await Send(seat, "target2"), HttpStatusCode.Created);

        await Expect(await admin.DeleteAsync("/api/v1/teams/t1/seats/newbie"), HttpStatusCode.OK);
        var cancel = await admin.Ok(await admin.DeleteAsync("/api/v1/teams/t1"));
        Assert.True(cancel["endsAt"]!.GetValue<DateTimeOffset>() > InMailServer.Start);
        await Refused(await seat.DeleteAsync("/api/v1/teams/t1"), HttpStatusCode.Forbidden, "forbidden");
    }

    [Fact]
    public async Task A_member_cannot_see_or_change_another_members_things()
    {
        await using var server = await Server();
        var alice = await Subscribed(server, "alice");
        var mallory = await server.MemberAsync("mallory");
        await Expect(await Send(alice, "mallory"), HttpStatusCode.Created);

        foreach (var path in new[] { "settings", "credits", "ledger", "subscription", "connections", "invitations", "blocks", "credits?asOf=2026-03-02T09:00:00Z" })
        {
            await Refused(await mallory.GetAsync($"/api/v1/members/alice/{path}"), HttpStatusCode.Forbidden, "forbidden");
        }
        await Refused(await mallory.PatchAsync("/api/v1/members/alice/settings", new { inmail = false }), HttpStatusCode.Forbidden, "forbidden");
        await Refused(await mallory.PutAsync("/api/v1/members/alice/profile", new { name = "Hacked" }), HttpStatusCode.Forbidden, "forbidden");
        await Refused(await mallory.DeleteAsync("/api/v1/members/alice/subscription"), HttpStatusCode.Forbidden, "forbidden");
        await Refused(await mallory.PostAsync("/api/v1/members/alice/purchases", new { pack = 10 }), HttpStatusCode.Forbidden, "forbidden");
        await Refused(await mallory.PostAsync("/api/v1/members/alice/invitations", new { to = "mallory" }), HttpStatusCode.Forbidden, "forbidden");
        await Refused(await mallory.PutAsync("/api/v1/members/alice/blocks/mallory"), HttpStatusCode.Forbidden, "forbidden");
        await Refused(await mallory.DeleteAsync("/api/v1/groups/g/members/alice"), HttpStatusCode.Forbidden, "forbidden");

        // Conversations are the caller's own by construction: Mallory sees only hers, never Alice's others.
        await server.MemberAsync("bob");
        await Expect(await Send(alice, "bob"), HttpStatusCode.Created);
        var hers = await mallory.GetJson("/api/v1/conversations");
        Assert.Equal("alice", Assert.Single(hers["conversations"]!.AsArray())!["with"]!["id"]!.GetValue<string>());
        await Refused(await mallory.GetAsync("/api/v1/conversations/bob"), HttpStatusCode.NotFound, "unknown-member");
        var bobsMessage = (await alice.GetJson("/api/v1/conversations/bob"))["messages"]![0]!["id"]!.GetValue<string>();
        await Refused(await mallory.GetAsync($"/api/v1/messages/{bobsMessage}"), HttpStatusCode.NotFound, "unknown-message");
        await Refused(await mallory.PostAsync($"/api/v1/messages/{bobsMessage}/responses", new { kind = "accept" }), HttpStatusCode.NotFound, "unknown-message");

        // Operator endpoints need the operator role.
        await Refused(await mallory.PostAsync("/api/v1/operator/members/mallory/bonuses", new { credits = 100, days = 365 }), HttpStatusCode.Forbidden, "forbidden");
        await Refused(await mallory.GetAsync("/api/v1/operator/catalog"), HttpStatusCode.Forbidden, "forbidden");
        await Refused(await mallory.PostAsync("/api/v1/operator/clock/advance", new { days = 1 }), HttpStatusCode.Forbidden, "forbidden");
        await Refused(await mallory.PostAsync("/api/v1/operator/connections", new { a = "mallory", b = "alice" }), HttpStatusCode.Forbidden, "forbidden");
        await Refused(await server.Anonymous().GetAsync("/api/v1/operator/clock"), HttpStatusCode.Unauthorized, "unauthenticated");

        Assert.True((await alice.GetJson("/api/v1/members/alice/settings"))["inMail"]!.GetValue<bool>());
        Assert.Equal(13, await Usable(alice, "alice"));
        Assert.Equal(0, (await mallory.GetJson("/api/v1/members/mallory/credits"))["usable"]!.GetValue<int>());

        // Support can read a member's balance and ledger.
        var ops = await server.OperatorAsync();
        Assert.Equal(13, (await ops.GetJson("/api/v1/members/alice/credits"))["usable"]!.GetValue<int>());
    }

    [Fact]
    public async Task Tokens_and_passwords_are_stored_only_as_hashes()
    {
        await using var server = await Server();
        var token = await server.Anonymous().RegisterAsync("alice", "Alice");
        var store = (InMail.Storage.CommandStore)server.Services.GetService(typeof(InMail.Storage.CommandStore))!;

        var rows = await store.QueryAsync("SELECT c.password_hash, t.token_hash FROM credentials c JOIN access_tokens t ON t.member_id = c.member_id WHERE c.member_id = 'alice'", [],
            r => { var list = new List<(string, string)>(); while (r.Read()) { list.Add((r.GetString(0), r.GetString(1))); } return list; }, TestContext.Current.CancellationToken);

        var (password, tokenHash) = Assert.Single(rows);
        Assert.DoesNotContain(Password, password, StringComparison.Ordinal);
        Assert.StartsWith("AQAAAA", password, StringComparison.Ordinal); // ASP.NET Core Identity v3 (PBKDF2)
        Assert.NotEqual(token, tokenHash);
        Assert.Equal(64, tokenHash.Length); // SHA-256, hex
    }

    [Fact]
    public async Task The_clock_moves_only_in_demo_and_test_mode_and_never_back()
    {
        await using var server = await Server();
        var ops = await server.OperatorAsync();
        var clock = await ops.GetJson("/api/v1/operator/clock");
        Assert.Equal("test", clock["mode"]!.GetValue<string>());

        var advanced = await ops.Ok(await ops.PostAsync("/api/v1/operator/clock/advance", new { days = 31 }));
        Assert.Equal(InMailServer.Start.AddDays(31), advanced["now"]!.GetValue<DateTimeOffset>());
        var set = await ops.Ok(await ops.PutAsync("/api/v1/operator/clock", new { at = "2026-06-01T00:00:00Z" }));
        Assert.Equal(new DateTimeOffset(2026, 6, 1, 0, 0, 0, TimeSpan.Zero), set["now"]!.GetValue<DateTimeOffset>());
        await Refused(await ops.PutAsync("/api/v1/operator/clock", new { at = "2026-05-01T00:00:00Z" }), HttpStatusCode.Conflict, "clock-backwards");
        await Refused(await ops.PostAsync("/api/v1/operator/clock/advance", new { days = -1 }), HttpStatusCode.BadRequest, "invalid-input");
        // At most 3660 days in all, however they are split: hours or minutes beyond a TimeSpan were a 500, and short of that moved the clock by millennia.
        await Refused(await ops.PostAsync("/api/v1/operator/clock/advance", new { hours = int.MaxValue }), HttpStatusCode.BadRequest, "invalid-input");
        await Refused(await ops.PostAsync("/api/v1/operator/clock/advance", new { days = 1, minutes = int.MaxValue }), HttpStatusCode.BadRequest, "invalid-input");
        await Refused(await ops.PostAsync("/api/v1/operator/clock/advance", new { days = 3660, hours = 1 }), HttpStatusCode.BadRequest, "invalid-input");
        Assert.Equal(set["now"]!.GetValue<DateTimeOffset>(), (await ops.GetJson("/api/v1/operator/clock"))["now"]!.GetValue<DateTimeOffset>());

        // At most a century ahead, however it is asked: near year 9999 the rules' date arithmetic overflowed and every write failed until a restart.
        await Refused(await ops.PutAsync("/api/v1/operator/clock", new { at = "9999-01-01T00:00:00Z" }), HttpStatusCode.Conflict, "clock-too-far");
        var moves = 0;
        HttpResponseMessage step;
        while ((step = await ops.PostAsync("/api/v1/operator/clock/advance", new { days = 3660 })).IsSuccessStatusCode)
        {
            moves++;
        }
        Assert.Equal(9, moves); // 9 × 3660 days fit in a century past the start; the 10th would not
        var stopped = (await ops.GetJson("/api/v1/operator/clock"))["now"]!.GetValue<DateTimeOffset>();
        await Refused(step, HttpStatusCode.Conflict, "clock-too-far");
        Assert.Equal(stopped, (await ops.GetJson("/api/v1/operator/clock"))["now"]!.GetValue<DateTimeOffset>());
        await server.Anonymous().RegisterAsync("zed", "Zed Zimmer"); // writes still work, a century on

        await using var live = await Server(new Dictionary<string, string?> { ["InMail:Mode"] = "Live", ["InMail:OperatorPassword"] = "test-operator-password" });
        var liveOps = await live.OperatorAsync();
        await Refused(await liveOps.PostAsync("/api/v1/operator/clock/advance", new { days = 1 }), HttpStatusCode.Conflict, "not-in-demo-mode");
        await Refused(await liveOps.PutAsync("/api/v1/operator/clock", new { at = "2030-01-01T00:00:00Z" }), HttpStatusCode.Conflict, "not-in-test-mode");
    }

    [Fact]
    public async Task Sign_in_is_rate_limited_per_address()
    {
        await using var server = await Server(new Dictionary<string, string?> { ["InMail:SignInsPerMinute"] = "3" });
        var anonymous = server.Anonymous();
        for (var i = 0; i < 3; i++)
        {
            await Refused(await anonymous.PostAsync("/api/v1/auth/token", new { member = "alice", password = $"guess number {i}" }), HttpStatusCode.Unauthorized, "invalid-credentials");
        }
        var limited = await anonymous.PostAsync("/api/v1/auth/token", new { member = "alice", password = "guess number 4" });
        await Refused(limited, HttpStatusCode.TooManyRequests, "rate-limited");
        Assert.True(limited.Headers.Contains("Retry-After"));
    }

    [Fact]
    public async Task Health_request_ids_and_unknown_addresses()
    {
        await using var server = await Server();
        var anonymous = server.Anonymous();
        var health = await anonymous.GetJson("/health");
        Assert.Equal("ok", health["status"]!.GetValue<string>());
        Assert.Equal(Database == Database.Postgres ? "postgres" : "sqlite", health["database"]!.GetValue<string>());
        Assert.Equal(0, health["claimConflicts"]!.GetValue<long>()); // one server never conflicts with itself

        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/health", UriKind.Relative));
        request.Headers.Add("X-Request-Id", "trace-123");
        var echoed = await anonymous.Http.SendAsync(request, TestContext.Current.CancellationToken);
        Assert.Equal("trace-123", Assert.Single(echoed.Headers.GetValues("X-Request-Id")));

        await Refused(await anonymous.GetAsync("/api/v1/nothing-here"), HttpStatusCode.NotFound, "not-found");
        var alice = await server.MemberAsync("alice");
        var problem = await Refused(await alice.GetAsync("/api/v1/members/ghost"), HttpStatusCode.NotFound, "unknown-member");
        Assert.False(string.IsNullOrEmpty(problem["requestId"]!.GetValue<string>()));
        await Refused(await alice.GetAsync("/api/v1/conversations?limit=lots"), HttpStatusCode.BadRequest, "invalid-input");
    }

    [Fact]
    public async Task Malformed_bodies_get_a_problem_and_change_nothing()
    {
        await using var server = await Server();
        var alice = await Subscribed(server, "alice");
        await server.MemberAsync("bob");

        foreach (var raw in new[]
        {
            "{", "not json", "[]", "null", "{\"to\":42,\"subject\":\"x\",\"body\":\"y\"}", "{\"to\":\"bob\",\"subject\":\"x\",\"body\":\"y\",\"extra\":1}",
            "{\"subject\":\"x\",\"body\":\"y\"}", "{\"to\":null,\"body\":\"y\"}", new string('[', 5000) + new string(']', 5000),
            "{\"to\":\"bob\",\"subject\":\"x\",\"body\":\"y\",}", "{\"to\":\"bob\" /* comment */}",
        })
        {
            var response = await alice.PostAsync("/api/v1/messages", raw);
            Assert.True((int)response.StatusCode is 400, $"{raw[..Math.Min(raw.Length, 40)]}: {(int)response.StatusCode}");
            await Refused(response, HttpStatusCode.BadRequest, "invalid-input");
        }
        using (var wrongType = new HttpRequestMessage(HttpMethod.Post, new Uri("/api/v1/messages", UriKind.Relative)) { Content = new StringContent("to=bob", System.Text.Encoding.UTF8, "application/x-www-form-urlencoded") })
        {
            await Refused(await alice.Http.SendAsync(wrongType, TestContext.Current.CancellationToken), HttpStatusCode.UnsupportedMediaType, "unsupported-media-type");
        }
        var huge = await alice.PostAsync("/api/v1/messages", new { to = "bob", subject = "x", body = new string('y', 200_000) });
        await Refused(huge, HttpStatusCode.RequestEntityTooLarge, "body-too-large");

        Assert.Equal(15, await Usable(alice, "alice"));
        Assert.Equal(0, (await alice.GetJson("/api/v1/conversations"))["total"]!.GetValue<int>());
    }

    [Fact]
    public async Task Outreach_measures_a_members_inmails_with_their_marks_and_only_they_and_the_operator_see_them()
    {
        await using var server = await Server();
        var alice = await Subscribed(server, "alice");                 // premium-business: 5999 cents for 15 credits
        var bob = await server.MemberAsync("bob");
        var carol = await server.MemberAsync("carol");
        var start = server.Clock.GetUtcNow();
        var toBob = (await Expect(await Send(alice, "bob"), HttpStatusCode.Created))["message"]!["id"]!.GetValue<string>();
        var toCarol = (await Expect(await Send(alice, "carol", body: new string('x', 400)), HttpStatusCode.Created))["message"]!["id"]!.GetValue<string>();
        server.Clock.Advance(TimeSpan.FromHours(2));
        await Expect(await bob.PostAsync($"/api/v1/messages/{toBob}/responses", new { kind = "reply", body = "Happy to talk" }), HttpStatusCode.Created);

        var marked = await alice.Ok(await alice.PutAsync($"/api/v1/messages/{toCarol}/outcome", new { outcome = "meeting-booked" }));
        Assert.Equal((toCarol, "meeting-booked"), (marked["message"]!.GetValue<string>(), marked["outcome"]!.GetValue<string>()));

        var report = await alice.GetJson("/api/v1/members/me/outreach");
        var all = report["all"]!;
        Assert.Equal((2, 1, 1, 1), (all["delivered"]!.GetValue<int>(), all["responded"]!.GetValue<int>(), all["positive"]!.GetValue<int>(), all["meetingsBooked"]!.GetValue<int>()));
        Assert.Equal((0.5, 0.5, 0.5), (all["replyRate"]!.GetValue<double>(), all["positiveRate"]!.GetValue<double>(), all["meetingRate"]!.GetValue<double>()));
        Assert.Equal(7200.0, all["timeToFirstReply"]!["medianSeconds"]!.GetValue<double>());
        Assert.Equal((2, 1, 1), (all["creditsSpent"]!.GetValue<int>(), all["creditsRefunded"]!.GetValue<int>(), all["creditsNet"]!.GetValue<int>()));
        Assert.Equal(400, all["costPerReplyCents"]!.GetValue<long>());    // 1 net credit × 5999/15 ÷ 1 reply
        Assert.Equal(("premium-business", 400L), (report["creditPrice"]!["basis"]!.GetValue<string>(), report["creditPrice"]!["perCreditCents"]!.GetValue<long>()));
        Assert.Equal((1, 1), (report["shortBody"]!["delivered"]!.GetValue<int>(), report["longBody"]!["delivered"]!.GetValue<int>()));
        Assert.Equal(0, report["openProfile"]!["delivered"]!.GetValue<int>());
        Assert.Null(report["openProfile"]!["replyRate"]);

        // A window that holds neither send: nothing delivered, no rates.
        var later = Uri.EscapeDataString((start + TimeSpan.FromHours(1)).ToString("O", System.Globalization.CultureInfo.InvariantCulture));
        var empty = (await alice.GetJson($"/api/v1/members/alice/outreach?from={later}"))["all"]!;
        Assert.Equal(0, empty["delivered"]!.GetValue<int>());
        Assert.Null(empty["replyRate"]);
        Assert.Null(empty["costPerReplyCents"]);

        // Clearing the mark takes it out of the measures.
        Assert.Equal("none", (await alice.Ok(await alice.PutAsync($"/api/v1/messages/{toCarol}/outcome", new { outcome = "none" })))["outcome"]!.GetValue<string>());
        Assert.Equal(0, (await alice.GetJson("/api/v1/members/alice/outreach"))["all"]!["meetingsBooked"]!.GetValue<int>());

        // The operator may read it (support); another member may not, and the report says nothing of alice.
        var ops = await server.OperatorAsync();
        Assert.Equal(2, (await ops.GetJson("/api/v1/members/alice/outreach"))["all"]!["delivered"]!.GetValue<int>());
        await Refused(await ops.GetAsync("/api/v1/members/nobody/outreach"), HttpStatusCode.NotFound, "unknown-member");
        var refused = await Refused(await bob.GetAsync("/api/v1/members/alice/outreach"), HttpStatusCode.Forbidden, "forbidden");
        Assert.DoesNotContain("delivered", ApiClient.Json(refused), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Marking_is_for_the_sender_of_an_inmail_and_bad_outreach_queries_are_refused()
    {
        await using var server = await Server();
        var alice = await Subscribed(server, "alice");
        var bob = await server.MemberAsync("bob");
        var carol = await server.MemberAsync("carol");
        var ops = await server.OperatorAsync();
        await Expect(await ops.PostAsync("/api/v1/operator/connections", new { a = "alice", b = "carol" }), HttpStatusCode.NoContent);
        var inmail = (await Expect(await Send(alice, "bob"), HttpStatusCode.Created))["message"]!["id"]!.GetValue<string>();
        var chat = (await Expect(await Send(alice, "carol", subject: null, body: "Lunch?"), HttpStatusCode.Created))["message"]!["id"]!.GetValue<string>();

        await Refused(await bob.PutAsync($"/api/v1/messages/{inmail}/outcome", new { outcome = "positive" }), HttpStatusCode.NotFound, "unknown-message");
        await Refused(await carol.PutAsync($"/api/v1/messages/{inmail}/outcome", new { outcome = "positive" }), HttpStatusCode.NotFound, "unknown-message");
        await Refused(await alice.PutAsync("/api/v1/messages/nope/outcome", new { outcome = "positive" }), HttpStatusCode.NotFound, "unknown-message");
        await Refused(await alice.PutAsync($"/api/v1/messages/{chat}/outcome", new { outcome = "positive" }), HttpStatusCode.UnprocessableEntity, "not-an-inmail");
        await Refused(await alice.PutAsync($"/api/v1/messages/{inmail}/outcome", new { outcome = "great" }), HttpStatusCode.BadRequest, "invalid-input");
        await Refused(await alice.PutAsync($"/api/v1/messages/{inmail}/outcome", new { }), HttpStatusCode.BadRequest, "invalid-input");
        Assert.Equal(0, (await alice.GetJson("/api/v1/members/alice/outreach"))["all"]!["positive"]!.GetValue<int>());

        await Refused(await alice.GetAsync("/api/v1/members/alice/outreach?from=yesterday"), HttpStatusCode.BadRequest, "invalid-input");
        await Refused(await alice.GetAsync("/api/v1/members/alice/outreach?to=2026-03-01"), HttpStatusCode.BadRequest, "invalid-input");
        await Refused(await alice.GetAsync("/api/v1/members/alice/outreach?from=2026-03-01T00:00:00Z&to=2026-03-01T00:00:00Z"), HttpStatusCode.BadRequest, "invalid-input");
        await Refused(await alice.GetAsync("/api/v1/members/alice/outreach?from=2026-03-02T00:00:00Z&to=2026-03-01T00:00:00Z"), HttpStatusCode.BadRequest, "invalid-input");

        var openApi = await server.Anonymous().GetJson("/openapi/v1.json");
        Assert.NotNull(openApi["paths"]!["/api/v1/members/{id}/outreach"]!["get"]);
        Assert.NotNull(openApi["paths"]!["/api/v1/messages/{message}/outcome"]!["put"]);
    }
}

public sealed class SqliteApiTests : ApiContract
{
    protected override Database Database => Database.Sqlite;
}

public sealed class PostgresApiTests : ApiContract
{
    protected override Database Database => Database.Postgres;
}

/// <summary>Demo mode: an empty database gets the demo network, its sign-ins work, and the operator moves the clock to show renewals.</summary>
public sealed class DemoModeTests
{
    [Fact]
    public async Task Demo_mode_seeds_a_network_whose_sign_ins_work_and_whose_clock_the_operator_moves()
    {
        await using var server = await InMailServer.StartAsync(Database.Sqlite, new Dictionary<string, string?> { ["InMail:Mode"] = "Demo" });
        var anonymous = server.Anonymous();

        Assert.True((await anonymous.GetJson("/health"))["lastSeq"]!.GetValue<long>() > 1000);
        var maya = server.As(await anonymous.SignInAsync("maya.chen", InMail.Web.Demo.DemoNetwork.MemberPassword));
        var credits = await maya.GetJson("/api/v1/members/me/credits");
        Assert.True(credits["usable"]!.GetValue<int>() > 0);
        Assert.NotEmpty(credits["mayComeBack"]!.AsArray());
        Assert.True((await maya.GetJson("/api/v1/conversations"))["total"]!.GetValue<int>() > 5);
        Assert.True((await maya.GetJson("/api/v1/members?limit=100")).AsArray().Count >= 50);

        var ops = server.As(await anonymous.SignInAsync("operator", InMail.Web.Demo.DemoNetwork.OperatorPassword));
        var grantsBefore = (await maya.GetJson("/api/v1/members/me/ledger?limit=1000")).AsArray().Count(e => e!["kind"]!.GetValue<string>() == "grant");
        await ops.Ok(await ops.PostAsync("/api/v1/operator/clock/advance", new { days = 31 }));
        var grantsAfter = (await maya.GetJson("/api/v1/members/me/ledger?limit=1000")).AsArray().Count(e => e!["kind"]!.GetValue<string>() == "grant");
        Assert.Equal(grantsBefore + 1, grantsAfter); // a renewal happened, and Maya is still signed in
        await Refused(await maya.PostAsync("/api/v1/operator/clock/advance", new { days = 1 }), HttpStatusCode.Forbidden, "forbidden");
    }
}
