using System.Net;
using static InMail.Integration.Tests.Api.ApiClient;

namespace InMail.Integration.Tests.Api;

/// <summary>
/// The inbox workspace's endpoints (SPEC §11: labels, snooze, reminders, notifications) against hostile
/// input: other members' conversations and labels, malformed instants, oversized and malformed bodies.
/// Each gets a 4xx with a stable code; nothing is logged, nothing changes.
/// </summary>
public sealed class WorkspaceHostileTests
{
    [Theory]
    [InlineData(Database.Sqlite)]
    [InlineData(Database.Postgres)]
    public async Task Labels_snoozes_and_reminders_on_conversations_one_is_not_in_or_with_bad_input_change_nothing(Database database)
    {
        await using var server = await InMailServer.StartAsync(database);
        var rita = await server.MemberAsync("rita", "Rita Gomez");
        await server.MemberAsync("sam", "Sam Lee");
        var pat = await server.MemberAsync("pat", "Pat Kim");
        await Expect(await rita.PostAsync("/api/v1/members/me/subscription", new { plan = "premium-business" }), HttpStatusCode.Created);
        await Expect(await rita.PostAsync("/api/v1/messages", new { to = "sam", subject = "A role", body = "Interested?" }), HttpStatusCode.Created);
        await Expect(await rita.PutAsync("/api/v1/conversations/sam/labels", new { add = new[] { "Hot" } }), HttpStatusCode.OK);
        var anyone = server.Anonymous();
        var before = (await anyone.GetJson("/health"))["lastSeq"]!.GetValue<long>();

        // Pat has no conversation with Sam, nor with Rita: Rita and Sam's is not reachable from Pat's side.
        await Refused(await pat.PutAsync("/api/v1/conversations/sam/labels", new { add = new[] { "Hot" } }), HttpStatusCode.NotFound, "unknown-conversation");
        await Refused(await pat.PutAsync("/api/v1/conversations/sam/snooze", new { until = "2026-03-09T09:00:00Z" }), HttpStatusCode.NotFound, "unknown-conversation");
        await Refused(await pat.PutAsync("/api/v1/conversations/rita/reminder", new { remindAt = "2026-03-09T09:00:00Z" }), HttpStatusCode.NotFound, "unknown-conversation");
        await Refused(await pat.DeleteAsync("/api/v1/conversations/sam/reminder"), HttpStatusCode.NotFound, "unknown-conversation");
        // Rita's labels are hers: Pat can neither read, rename nor delete them.
        await Refused(await pat.GetAsync("/api/v1/members/rita/labels"), HttpStatusCode.Forbidden, "forbidden");
        await Refused(await pat.PutAsync("/api/v1/members/rita/labels/Hot", new { name = "Cold" }), HttpStatusCode.Forbidden, "forbidden");
        await Refused(await pat.DeleteAsync("/api/v1/members/rita/labels/Hot"), HttpStatusCode.Forbidden, "forbidden");
        await Refused(await pat.GetAsync("/api/v1/conversations?label=Hot"), HttpStatusCode.BadRequest, "invalid-input");
        await Refused(await pat.GetAsync("/api/v1/members/rita/notifications"), HttpStatusCode.Forbidden, "forbidden");

        // Malformed input on Rita's own conversation.
        await Refused(await rita.PutAsync("/api/v1/conversations/sam/snooze", new { until = "next tuesday" }), HttpStatusCode.BadRequest, "invalid-input");
        await Refused(await rita.PutAsync("/api/v1/conversations/sam/snooze", new { until = "2026-03-01T09:00:00Z" }), HttpStatusCode.BadRequest, "invalid-input");
        await Refused(await rita.PutAsync("/api/v1/conversations/sam/reminder", new { remindAt = "9999-99-99" }), HttpStatusCode.BadRequest, "invalid-input");
        await Refused(await rita.PutAsync("/api/v1/conversations/sam/labels", new { add = new[] { new string('x', 31) } }), HttpStatusCode.BadRequest, "invalid-input");
        await Refused(await rita.PutAsync("/api/v1/conversations/sam/labels", new { add = Enumerable.Range(0, 25).Select(i => $"L{i}").ToArray() }),
            HttpStatusCode.Conflict, "label-limit-reached");
        await Refused(await rita.PutAsync("/api/v1/conversations/sam/labels", """{"add": "Hot"}"""), HttpStatusCode.BadRequest, "invalid-input");
        await Refused(await rita.PutAsync("/api/v1/conversations/sam/labels", """{"add": ["Hot"], "add": ["Cold"]}"""), HttpStatusCode.BadRequest, "invalid-input");
        await Refused(await rita.PutAsync("/api/v1/conversations/sam/labels", "{\"add\": [\"" + new string('x', 100_000) + "\"]}"),
            HttpStatusCode.RequestEntityTooLarge, "body-too-large");
        await Refused(await rita.PutAsync("/api/v1/conversations/sam/labels", "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["),
            HttpStatusCode.BadRequest, "invalid-input");

        Assert.Equal(before, (await anyone.GetJson("/health"))["lastSeq"]!.GetValue<long>());
        Assert.Equal(["Hot"], (await rita.GetJson("/api/v1/members/me/labels")).AsArray().Select(l => l!["name"]!.GetValue<string>()).ToArray());
        Assert.DoesNotContain(server.Logs.Lines, l => l.Level >= Microsoft.Extensions.Logging.LogLevel.Error);
    }
}
