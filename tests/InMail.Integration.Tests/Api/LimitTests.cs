using System.Net;
using static InMail.Integration.Tests.Api.ApiClient;

namespace InMail.Integration.Tests.Api;

/// <summary>The limits that stop spam, through HTTP: each is a 429 (or 422) problem with its SPEC code, and charges nothing.</summary>
public abstract class LimitContract
{
    protected abstract Database Database { get; }

    private static Task<HttpResponseMessage> Send(ApiClient from, string to, string body = "Would you be open to a chat?") =>
        from.PostAsync("/api/v1/messages", new { to, subject = "Hello", body });

    private static async Task<int> Usable(ApiClient client) => (await client.GetJson("/api/v1/members/me/credits"))["usable"]!.GetValue<int>();

    private static async Task<ApiClient> Paid(InMailServer server, string id, string plan = "premium-business")
    {
        var client = await server.MemberAsync(id);
        await Expect(await client.PostAsync("/api/v1/members/me/subscription", new { plan }), HttpStatusCode.Created);
        return client;
    }

    [Fact]
    public async Task Thread_daily_and_restriction_limits()
    {
        await using var server = await InMailServer.StartAsync(Database);
        var ops = await server.OperatorAsync();
        var alice = await Paid(server, "alice");
        await Expect(await ops.PostAsync("/api/v1/operator/members/alice/bonuses", new { credits = 30, days = 30 }), HttpStatusCode.Created);

        // Four InMails in a thread without a reply, then the thread limit.
        await server.MemberAsync("bob");
        for (var i = 0; i < 4; i++)
        {
            await Expect(await Send(alice, "bob", $"Follow-up {i}"), HttpStatusCode.Created);
        }
        await Refused(await Send(alice, "bob", "One more"), HttpStatusCode.UnprocessableEntity, "thread-limit-reached");

        // Premium Business allows 20 InMails a day: 16 more strangers, then the daily limit.
        for (var i = 0; i < 17; i++)
        {
            await server.MemberAsync($"s{i}");
        }
        for (var i = 0; i < 16; i++)
        {
            await Expect(await Send(alice, $"s{i}"), HttpStatusCode.Created);
        }
        var before = await Usable(alice);
        await Refused(await Send(alice, "s16"), HttpStatusCode.TooManyRequests, "daily-limit-reached");
        await Refused(await alice.PostAsync("/api/v1/quotes", new { to = "s16", subject = "Hi", body = "x" }), HttpStatusCode.TooManyRequests, "daily-limit-reached");
        Assert.Equal(before, await Usable(alice));

        // Three recipients report her InMails as spam (over 10% of what she sent): she is restricted.
        server.Clock.Advance(TimeSpan.FromDays(1));
        for (var i = 0; i < 3; i++)
        {
            var reporter = server.As(await server.Anonymous().SignInAsync($"s{i}", Password));
            var message = (await reporter.GetJson("/api/v1/conversations/alice"))["messages"]![0]!["id"]!.GetValue<string>();
            await Expect(await reporter.PostAsync($"/api/v1/messages/{message}/spam-reports"), HttpStatusCode.Created);
        }
        await Refused(await Send(alice, "s16"), HttpStatusCode.UnprocessableEntity, "sender-restricted");
    }

    [Fact]
    public async Task Recipient_and_invitation_limits()
    {
        await using var server = await InMailServer.StartAsync(Database);
        var bob = await server.MemberAsync("bob");

        // 20 InMails a week may reach one member; the 21st sender is refused.
        for (var i = 0; i < 21; i++)
        {
            var sender = await Paid(server, $"p{i}", "premium-career");
            var sent = await Send(sender, "bob");
            if (i < 20)
            {
                await Expect(sent, HttpStatusCode.Created);
            }
            else
            {
                await Refused(sent, HttpStatusCode.TooManyRequests, "recipient-limit-reached");
                Assert.Equal(5, await Usable(sender));
            }
        }

        // A free member's notes: five a month.
        for (var i = 0; i < 6; i++)
        {
            var invited = await bob.PostAsync("/api/v1/members/me/invitations", new { to = $"p{i}", note = "Hi, we met at the conference" });
            if (i < 5)
            {
                await Expect(invited, HttpStatusCode.Created);
            }
            else
            {
                await Refused(invited, HttpStatusCode.TooManyRequests, "note-limit-reached");
            }
        }

        // 100 invitations a week.
        var carol = await server.MemberAsync("carol");
        for (var i = 0; i < 100; i++)
        {
            await server.MemberAsync($"x{i}");
            await Expect(await carol.PostAsync("/api/v1/members/carol/invitations", new { to = $"x{i}" }), HttpStatusCode.Created);
        }
        await Refused(await carol.PostAsync("/api/v1/members/carol/invitations", new { to = "bob" }), HttpStatusCode.TooManyRequests, "weekly-invite-limit");
    }

    [Fact]
    public async Task Operator_connections_and_catalog()
    {
        await using var server = await InMailServer.StartAsync(Database);
        var ops = await server.OperatorAsync();
        var alice = await Paid(server, "alice");
        await server.MemberAsync("bob");

        await Expect(await ops.PostAsync("/api/v1/operator/connections", new { a = "alice", b = "bob" }), HttpStatusCode.NoContent);
        await Refused(await ops.PostAsync("/api/v1/operator/connections", new { a = "alice", b = "bob" }), HttpStatusCode.Conflict, "already-connected");
        await Refused(await ops.PostAsync("/api/v1/operator/connections", new { a = "alice", b = "ghost" }), HttpStatusCode.NotFound, "unknown-member");
        var quote = await alice.Ok(await alice.PostAsync("/api/v1/quotes", new { to = "bob", body = "Hi" }));
        Assert.Equal("message", quote["path"]!.GetValue<string>());
        Assert.Equal(0, quote["cost"]!.GetValue<int>());

        var catalog = await ops.GetJson("/api/v1/operator/catalog");
        Assert.Equal(500, catalog["policy"]!["inboxActiveConversations"]!.GetValue<int>());
        Assert.NotEmpty(catalog["plans"]!.AsArray());
    }
}

public sealed class SqliteLimitTests : LimitContract
{
    protected override Database Database => Database.Sqlite;
}

public sealed class PostgresLimitTests : LimitContract
{
    protected override Database Database => Database.Postgres;
}
