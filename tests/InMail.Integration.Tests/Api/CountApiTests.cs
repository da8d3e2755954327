using System.Net;
using static InMail.Integration.Tests.Api.ApiClient;

namespace InMail.Integration.Tests.Api;

/// <summary>
/// SPEC §11 over HTTP: the unread counts the pages' title and bell poll, the owner's alone, with messages
/// and conversations read from the tables on each database's SQL.
/// </summary>
public sealed class CountApiTests
{
    [Theory]
    [InlineData(Database.Sqlite)]
    [InlineData(Database.Postgres)]
    public async Task Unread_counts_are_the_owners_alone_and_follow_messages_the_archive_and_notifications(Database database)
    {
        await using var server = await InMailServer.StartAsync(database);
        var op = await server.OperatorAsync();
        var rita = await server.MemberAsync("rita", "Rita Gomez");
        var sam = await server.MemberAsync("sam", "Sam Lee");
        var lee = await server.MemberAsync("lee", "Lee Park");
        foreach (var other in new[] { "sam", "lee" })
        {
            await Expect(await op.PostAsync("/api/v1/operator/connections", new { a = "rita", b = other }), HttpStatusCode.NoContent);
        }
        Assert.Equal((0, 0, 0), await CountsAsync(rita, "me"));

        await Expect(await sam.PostAsync("/api/v1/messages", new { to = "rita", body = "Lunch?" }), HttpStatusCode.Created);
        await Expect(await sam.PostAsync("/api/v1/messages", new { to = "rita", body = "Or coffee?" }), HttpStatusCode.Created);
        await Expect(await lee.PostAsync("/api/v1/messages", new { to = "rita", body = "Hello" }), HttpStatusCode.Created);
        Assert.Equal((3, 2, 0), await CountsAsync(rita, "me"));
        Assert.Equal((0, 0, 0), await CountsAsync(sam, "sam")); // what one sends is not unread for them

        // Subscribing grants credits, which is a notification; the archive's unread messages are not counted.
        await Expect(await rita.PostAsync("/api/v1/members/me/subscription", new { plan = "premium-business", billing = "monthly" }), HttpStatusCode.Created);
        Assert.Equal((3, 2, 1), await CountsAsync(rita, "rita"));
        await Expect(await rita.PutAsync("/api/v1/conversations/lee/archived", new { archived = true }), HttpStatusCode.OK);
        Assert.Equal((2, 1, 1), await CountsAsync(rita, "me"));
        await Expect(await rita.PostAsync("/api/v1/conversations/sam/read"), HttpStatusCode.OK);
        await Refused(await rita.PostAsync("/api/v1/members/me/notifications/read", new { upTo = "all" }), HttpStatusCode.BadRequest, "invalid-input");
        await Expect(await rita.PostAsync("/api/v1/members/me/notifications/read", new { upTo = 0 }), HttpStatusCode.OK);
        Assert.Equal((0, 0, 1), await CountsAsync(rita, "me"));
        // Notification ids are 64-bit: "up to" one past 32 bits is a plain request.
        await Expect(await rita.PostAsync("/api/v1/members/me/notifications/read", new { upTo = 3_000_000_000L }), HttpStatusCode.OK);
        Assert.Equal((0, 0, 0), await CountsAsync(rita, "me"));

        // Nobody else reads them, the operator included; without a session there is nothing to read.
        await Refused(await sam.GetAsync("/api/v1/members/rita/counts"), HttpStatusCode.Forbidden, "forbidden");
        await Refused(await op.GetAsync("/api/v1/members/rita/counts"), HttpStatusCode.Forbidden, "forbidden");
        await Refused(await server.Anonymous().GetAsync("/api/v1/members/rita/counts"), HttpStatusCode.Unauthorized, "unauthenticated");
    }

    private static async Task<(int Messages, int Conversations, int Notifications)> CountsAsync(ApiClient client, string id)
    {
        var counts = await client.GetJson($"/api/v1/members/{id}/counts");
        return (counts["unreadMessages"]!.GetValue<int>(), counts["unreadConversations"]!.GetValue<int>(), counts["unreadNotifications"]!.GetValue<int>());
    }
}
