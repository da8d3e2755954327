using System.Net;
using static InMail.Integration.Tests.Api.ApiClient;

namespace InMail.Integration.Tests.Api;

/// <summary>SPEC §10 sequences over HTTP: the owner line, the codes, the cost preview, idempotent enrolment, and a live server running due steps.</summary>
public sealed class SequenceApiTests
{
    private static readonly object[] TwoSteps = [new { day = 0, variants = new[] { "intro", "intro-b" } }, new { day = 3, template = "nudge" }];

    private static async Task<ApiClient> RecruiterAsync(InMailServer server)
    {
        var rita = await server.MemberAsync("rita", "Rita Gomez");
        await Expect(await rita.PostAsync("/api/v1/members/me/subscription", new { plan = "premium-business" }), HttpStatusCode.Created);
        await Expect(await rita.PutAsync("/api/v1/members/me/templates/intro", new { subject = "Hello {{firstName}}", body = "{{firstName}}, your work stood out. A chat?" }), HttpStatusCode.OK);
        await Expect(await rita.PutAsync("/api/v1/members/me/templates/intro-b", new { subject = "A role, {{firstName}}?", body = "{{firstName}}, we are hiring. Could we talk?" }), HttpStatusCode.OK);
        await Expect(await rita.PutAsync("/api/v1/members/me/templates/nudge", new { body = "{{firstName}}, bringing this back up." }), HttpStatusCode.OK);
        return rita;
    }

    [Fact]
    public async Task Sequences_are_the_owners_alone_and_enrolment_is_all_or_nothing_and_idempotent()
    {
        await using var server = await InMailServer.StartAsync(Database.Sqlite);
        var op = await server.OperatorAsync();
        var rita = await RecruiterAsync(server);
        var sam = await server.MemberAsync("sam", "Sam Lee");
        await server.MemberAsync("bo", "Bo Chen");
        await server.MemberAsync("pat", "Pat Kim");

        var saved = await Expect(await rita.PutAsync("/api/v1/members/me/sequences/hire", new { steps = TwoSteps, budget = 10 }), HttpStatusCode.OK);
        Assert.Equal(2, saved["steps"]!.AsArray().Count);
        await Refused(await rita.PutAsync("/api/v1/members/me/sequences/bad", new { steps = new[] { new { day = 2, template = "intro" } } }), HttpStatusCode.BadRequest, "invalid-sequence");
        await Refused(await rita.PutAsync("/api/v1/members/me/sequences/bad", new { steps = new[] { new { day = 0, template = "nope" } } }), HttpStatusCode.NotFound, "unknown-template");
        await Refused(await rita.PutAsync("/api/v1/members/me/sequences/bad", new { steps = TwoSteps, window = "soon" }), HttpStatusCode.BadRequest, "invalid-sequence");

        // The cost preview changes nothing and says what step 1 takes and what every step may.
        var quote = await Expect(await rita.PostAsync("/api/v1/members/me/sequences/hire/enrollments/quote", new { recipients = new[] { "sam", "bo", "ghost" } }), HttpStatusCode.OK);
        Assert.False(quote["canEnroll"]!.GetValue<bool>());
        Assert.Equal(2, quote["creditsFirstStep"]!.GetValue<int>());
        Assert.Equal(4, quote["creditsAtMost"]!.GetValue<int>());
        Assert.Equal("unknown-member", quote["rows"]![2]!["code"]!.GetValue<string>());
        Assert.Equal(15, (await rita.GetJson("/api/v1/members/me/credits"))["usable"]!.GetValue<int>());

        // One unknown row: nobody enrolled.
        await Refused(await rita.PostAsync("/api/v1/members/me/sequences/hire/enrollments", new { recipients = new[] { "sam", "ghost" } }), HttpStatusCode.NotFound, "unknown-member");
        Assert.Empty((await rita.GetJson("/api/v1/members/me/sequences/hire/enrollments"))["items"]!.AsArray());

        // Enrolment spends credits: a retry with the same key answers the first result and spends nothing more.
        var first = await rita.PostAsync("/api/v1/members/me/sequences/hire/enrollments", new { recipients = new[] { "sam", "bo" } }, "enrol-1");
        var enrolled = await Expect(first, HttpStatusCode.Created);
        Assert.Equal("/api/v1/members/rita/sequences/hire/enrollments", first.Headers.Location?.ToString());
        Assert.Equal(["A", "B"], enrolled.AsArray().Select(e => e!["variant"]!.GetValue<string>()).ToArray());
        var retry = await rita.PostAsync("/api/v1/members/me/sequences/hire/enrollments", new { recipients = new[] { "sam", "bo" } }, "enrol-1");
        await Expect(retry, HttpStatusCode.Created);
        Assert.Equal("true", retry.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(13, (await rita.GetJson("/api/v1/members/me/credits"))["usable"]!.GetValue<int>());
        await Refused(await rita.PostAsync("/api/v1/members/me/sequences/hire/enrollments", new { to = "sam" }), HttpStatusCode.Conflict, "already-enrolled");
        await Refused(await rita.PostAsync("/api/v1/members/me/sequences/hire/enrollments", new { to = "pat", recipients = new[] { "bo" } }), HttpStatusCode.BadRequest, "invalid-input");

        var one = await Expect(await rita.PostAsync("/api/v1/members/me/sequences/hire/enrollments", new { to = "pat" }), HttpStatusCode.Created);
        Assert.Equal("active", one[0]!["status"]!.GetValue<string>());
        var read = await rita.GetJson("/api/v1/members/me/sequences/hire/enrollments/sam");
        Assert.Equal((1, 2, "A"), (read["step"]!.GetValue<int>(), read["steps"]!.GetValue<int>(), read["variant"]!.GetValue<string>()));
        Assert.NotNull(read["nextStepInRecipientTime"]);
        var results = (await rita.GetJson("/api/v1/members/me/sequences/hire"))["results"]!.AsArray();
        Assert.Equal([2, 1, 0], results.Select(r => r!["sent"]!.GetValue<int>()).ToArray());

        // Nobody else reads, changes or enrols in Rita's sequences: not another member, not the operator.
        foreach (var other in new[] { sam, op })
        {
            await Refused(await other.GetAsync("/api/v1/members/rita/sequences"), HttpStatusCode.Forbidden, "forbidden");
            await Refused(await other.GetAsync("/api/v1/members/rita/sequences/hire"), HttpStatusCode.Forbidden, "forbidden");
            await Refused(await other.GetAsync("/api/v1/members/rita/sequences/hire/enrollments/sam"), HttpStatusCode.Forbidden, "forbidden");
            await Refused(await other.PostAsync("/api/v1/members/rita/sequences/hire/enrollments", new { to = "pat" }), HttpStatusCode.Forbidden, "forbidden");
            await Refused(await other.DeleteAsync("/api/v1/members/rita/sequences/hire/enrollments/sam"), HttpStatusCode.Forbidden, "forbidden");
            await Refused(await other.PutAsync("/api/v1/members/rita/sequences/hire", new { steps = TwoSteps }), HttpStatusCode.Forbidden, "forbidden");
            await Refused(await other.DeleteAsync("/api/v1/members/rita/sequences/hire"), HttpStatusCode.Forbidden, "forbidden");
        }
        await Refused(await sam.PostAsync("/api/v1/members/me/sequences/hire/enrollments", new { to = "pat" }), HttpStatusCode.NotFound, "unknown-sequence");

        await Refused(await rita.DeleteAsync("/api/v1/members/me/sequences/hire"), HttpStatusCode.BadRequest, "invalid-sequence");
        var stopped = await Expect(await rita.DeleteAsync("/api/v1/members/me/sequences/hire/enrollments/sam"), HttpStatusCode.OK);
        Assert.Equal(("stopped", "unenrolled"), (stopped["status"]!.GetValue<string>(), stopped["reason"]!.GetValue<string>()));
        await Refused(await rita.DeleteAsync("/api/v1/members/me/sequences/hire/enrollments/sam"), HttpStatusCode.NotFound, "not-enrolled");
        await Refused(await rita.GetAsync("/api/v1/members/me/sequences/hire/enrollments?status=waiting"), HttpStatusCode.BadRequest, "invalid-input");
        Assert.Single((await rita.GetJson("/api/v1/members/me/sequences/hire/enrollments?status=stopped"))["items"]!.AsArray());
    }

    [Theory]
    [InlineData(Database.Sqlite)]
    [InlineData(Database.Postgres)]
    public async Task A_live_server_runs_due_steps_and_stops_an_enrolment_whose_recipient_answered(Database database)
    {
        await using var server = await InMailServer.StartAsync(database, new Dictionary<string, string?> { ["InMail:Mode"] = "Live", ["InMail:OperatorPassword"] = "test-operator-password" });
        var rita = await RecruiterAsync(server);
        var sam = await server.MemberAsync("sam", "Sam Lee");
        await server.MemberAsync("bo", "Bo Chen");
        await Expect(await rita.PutAsync("/api/v1/members/me/sequences/hire", new { steps = TwoSteps }), HttpStatusCode.OK);
        var enrolled = await Expect(await rita.PostAsync("/api/v1/members/me/sequences/hire/enrollments", new { recipients = new[] { "sam", "bo" } }), HttpStatusCode.Created);
        var samFirst = enrolled[0]!["sent"]![0]!["messageId"]!.GetValue<string>();
        await Expect(await sam.PostAsync($"/api/v1/messages/{samFirst}/responses", new { kind = "reply", body = "Sure, let us talk." }), HttpStatusCode.Created);

        server.Clock.Advance(TimeSpan.FromDays(3));
        var watch = System.Diagnostics.Stopwatch.StartNew();
        while ((await rita.GetJson("/api/v1/members/me/sequences/hire/enrollments/bo"))["step"]!.GetValue<int>() < 2)
        {
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(15), "step 2 never ran");
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }
        Assert.Equal("finished", (await rita.GetJson("/api/v1/members/me/sequences/hire/enrollments/bo"))["status"]!.GetValue<string>());
        var samNow = await rita.GetJson("/api/v1/members/me/sequences/hire/enrollments/sam");
        Assert.Equal(("stopped", "responded", 1), (samNow["status"]!.GetValue<string>(), samNow["reason"]!.GetValue<string>(), samNow["step"]!.GetValue<int>()));
        // 15 − 2 (step 1) + 1 (Sam's refund) − 1 (Bo's step 2).
        Assert.Equal(13, (await rita.GetJson("/api/v1/members/me/credits"))["usable"]!.GetValue<int>());
    }
}
