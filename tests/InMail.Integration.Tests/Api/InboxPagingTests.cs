using System.Net;
using System.Text.Json.Nodes;
using static InMail.Integration.Tests.Api.ApiClient;

namespace InMail.Integration.Tests.Api;

/// <summary>
/// Issue 9: the inbox is read from the tables in pages of 50, newest first, continued by a cursor;
/// every conversation appears exactly once, whatever else is written between pages.
/// </summary>
public abstract class InboxPagingContract
{
    protected abstract Database Database { get; }

    [Fact]
    public async Task The_inbox_pages_by_cursor_newest_first_and_lists_every_conversation_once()
    {
        await using var server = await InMailServer.StartAsync(Database);
        var op = await server.OperatorAsync();
        var alice = await server.MemberAsync("alice", "Alice Adams");
        const int Writers = 57;
        var writers = new List<ApiClient>();
        for (var i = 0; i < Writers; i++)
        {
            var id = $"w{i:00}";
            var writer = await server.MemberAsync(id, $"Writer {i:00}");
            await Expect(await op.PostAsync("/api/v1/operator/connections", new { a = "alice", b = id }), HttpStatusCode.NoContent);
            await Expect(await writer.PostAsync("/api/v1/messages", new { to = "alice", body = $"Hello from writer {i:00}" }), HttpStatusCode.Created);
            writers.Add(writer);
        }

        var first = await alice.GetJson("/api/v1/conversations");
        var page1 = Withs(first);
        Assert.Equal(50, page1.Count);
        Assert.Equal(Writers, first["total"]!.GetValue<int>());
        Assert.Equal(Writers, first["unread"]!.GetValue<int>());
        Assert.Equal("w56", page1[0]); // the newest first
        var next = first["next"]!.GetValue<string>();

        // A new message between pages (an hour later) moves w03 to the top of page 1; page 2 still continues where page 1 ended.
        var clock = await op.GetJson("/api/v1/operator/clock");
        var later = DateTimeOffset.Parse(clock["now"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture).AddHours(1);
        await Expect(await op.PutAsync("/api/v1/operator/clock", new { at = later }), HttpStatusCode.OK);
        await Expect(await writers[3].PostAsync("/api/v1/messages", new { to = "alice", body = "Me again" }), HttpStatusCode.Created);
        var second = await alice.GetJson($"/api/v1/conversations?cursor={Uri.EscapeDataString(next)}");
        var page2 = Withs(second);
        Assert.Equal(["w06", "w05", "w04", "w02", "w01", "w00"], page2);
        Assert.Null(second["next"]);
        Assert.Equal(Enumerable.Range(0, Writers).Select(i => $"w{i:00}").Order(StringComparer.Ordinal), page1.Concat(page2).Append("w03").Distinct().Order(StringComparer.Ordinal));

        var found = await alice.GetJson("/api/v1/conversations?q=writer%2042");
        Assert.Equal(["w42"], Withs(found));
        Assert.Equal(1, found["total"]!.GetValue<int>());

        await Refused(await alice.GetAsync("/api/v1/conversations?cursor=not-a-cursor"), HttpStatusCode.BadRequest, "invalid-input");
        await Refused(await alice.GetAsync("/api/v1/conversations?offset=50"), HttpStatusCode.BadRequest, "invalid-input");
        // A cursor only says where to continue, never whose inbox: someone else's lists their own conversations.
        Assert.Equal(["alice"], Withs(await writers[0].GetJson("/api/v1/conversations?cursor=" + Uri.EscapeDataString(next))));
    }

    private static List<string> Withs(JsonNode page) =>
        [.. page["conversations"]!.AsArray().Select(c => c!["with"]!["id"]!.GetValue<string>())];
}

public sealed class SqliteInboxPagingTests : InboxPagingContract
{
    protected override Database Database => Database.Sqlite;
}

public sealed class PostgresInboxPagingTests : InboxPagingContract
{
    protected override Database Database => Database.Postgres;
}
