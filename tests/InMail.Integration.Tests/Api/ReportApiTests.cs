using System.Net;
using InMail.Storage;
using Microsoft.Extensions.DependencyInjection;
using static InMail.Integration.Tests.Api.ApiClient;

namespace InMail.Integration.Tests.Api;

/// <summary>
/// Decision 013 over HTTP: outreach per template (the member, or the operator), the A/B comparison in a
/// sequence, and the team report (the admin, or the operator: a seat gets 403, a stranger 404). Every
/// response is checked against the OpenAPI contract by the client.
/// </summary>
public sealed class ReportApiTests
{
    [Theory]
    [InlineData(Database.Sqlite)]
    [InlineData(Database.Postgres)]
    public async Task Outreach_per_template_is_the_members_and_the_template_reaches_the_messages_table(Database database)
    {
        await using var server = await InMailServer.StartAsync(database);
        var op = await server.OperatorAsync();
        var rita = await server.MemberAsync("rita", "Rita Gomez");
        var sam = await server.MemberAsync("sam", "Sam Lee");
        await server.MemberAsync("bo", "Bo Chen");
        await Expect(await rita.PostAsync("/api/v1/members/me/subscription", new { plan = "premium-business" }), HttpStatusCode.Created);
        await Expect(await rita.PutAsync("/api/v1/members/me/templates/intro", new { subject = "Hello {{firstName}}", body = "{{firstName}}, a chat?" }), HttpStatusCode.OK);

        var empty = await rita.GetJson("/api/v1/members/me/outreach/templates");
        Assert.Empty(empty["templates"]!.AsArray());
        Assert.Equal(200, empty["minimumPerArm"]!.GetValue<int>());

        var sent = await Expect(await rita.PostAsync("/api/v1/messages", new { to = "sam", template = "intro" }), HttpStatusCode.Created);
        await Expect(await rita.PostAsync("/api/v1/messages", new { to = "bo", subject = "Hi", body = "Typed by hand?" }), HttpStatusCode.Created);
        var id = sent["message"]!["id"]!.GetValue<string>();
        await Expect(await sam.PostAsync($"/api/v1/messages/{id}/responses", new { kind = "reply", body = "Sure." }), HttpStatusCode.Created);

        var report = await rita.GetJson("/api/v1/members/me/outreach/templates");
        Assert.Equal("intro", report["baseline"]!.GetValue<string>());
        var rows = report["templates"]!.AsArray();
        Assert.Equal(2, rows.Count);
        Assert.Equal(("intro", 1, 1), (rows[0]!["template"]!.GetValue<string>(), rows[0]!["measures"]!["delivered"]!.GetValue<int>(), rows[0]!["measures"]!["responded"]!.GetValue<int>()));
        Assert.Null(rows[0]!["againstBaseline"]);
        Assert.Null(rows[1]!["template"]);
        var typed = rows[1]!["againstBaseline"]!;
        Assert.Equal("not-enough-data", typed["verdict"]!.GetValue<string>());
        Assert.Equal(1.0, typed["pValue"]!.GetValue<double>(), 9);
        Assert.Equal(-1.0, typed["difference"]!.GetValue<double>(), 9);

        // The operator may read it; another member may not; bad periods are invalid-input.
        Assert.Equal(2, (await op.GetJson("/api/v1/members/rita/outreach/templates"))["templates"]!.AsArray().Count);
        await Refused(await sam.GetAsync("/api/v1/members/rita/outreach/templates"), HttpStatusCode.Forbidden, "forbidden");
        await Refused(await rita.GetAsync("/api/v1/members/me/outreach/templates?from=yesterday"), HttpStatusCode.BadRequest, "invalid-input");
        await Refused(await rita.GetAsync("/api/v1/members/me/outreach/templates?from=2026-03-02T10:00:00Z&to=2026-03-02T09:00:00Z"), HttpStatusCode.BadRequest, "invalid-input");
        Assert.Empty((await rita.GetJson("/api/v1/members/me/outreach/templates?to=2026-03-01T00:00:00Z"))["templates"]!.AsArray());

        // The projection's messages carry the template (migration 0014); typed text has none.
        var store = server.Services.GetRequiredService<CommandStore>();
        var stored = await store.QueryAsync("SELECT id, template_id FROM messages WHERE from_id = 'rita' ORDER BY sent_at, id", [], r =>
        {
            var list = new List<(string, string?)>();
            while (r.Read())
            {
                list.Add((r.GetString(0), r.IsDBNull(1) ? null : r.GetString(1)));
            }
            return list;
        }, TestContext.Current.CancellationToken);
        Assert.Equal(2, stored.Count);
        Assert.Equal("intro", stored.Single(s => s.Item1 == id).Item2);
        Assert.Null(stored.Single(s => s.Item1 != id).Item2);
    }

    [Fact]
    public async Task A_sequence_answers_its_A_B_comparison_per_step()
    {
        await using var server = await InMailServer.StartAsync(Database.Sqlite);
        var rita = await server.MemberAsync("rita", "Rita Gomez");
        await server.MemberAsync("sam", "Sam Lee");
        await server.MemberAsync("bo", "Bo Chen");
        await Expect(await rita.PostAsync("/api/v1/members/me/subscription", new { plan = "premium-business" }), HttpStatusCode.Created);
        await Expect(await rita.PutAsync("/api/v1/members/me/templates/intro", new { subject = "Hello {{firstName}}", body = "{{firstName}}, a chat?" }), HttpStatusCode.OK);
        await Expect(await rita.PutAsync("/api/v1/members/me/templates/intro-b", new { subject = "A role?", body = "Could we talk?" }), HttpStatusCode.OK);
        await Expect(await rita.PutAsync("/api/v1/members/me/sequences/hire",
            new { steps = new object[] { new { day = 0, variants = new[] { "intro", "intro-b" } }, new { day = 3, template = "intro-b" } } }), HttpStatusCode.OK);
        await Expect(await rita.PostAsync("/api/v1/members/me/sequences/hire/enrollments", new { recipients = new[] { "sam", "bo" } }, "enrol-1"), HttpStatusCode.Created);

        var sequence = await rita.GetJson("/api/v1/members/me/sequences/hire");
        var comparison = Assert.Single(sequence["comparisons"]!.AsArray())!;
        Assert.Equal((1, "intro", "intro-b"), (comparison["step"]!.GetValue<int>(), comparison["templateA"]!.GetValue<string>(), comparison["templateB"]!.GetValue<string>()));
        var c = comparison["comparison"]!;
        Assert.Equal((1, 0, 1, 0, 200), (c["sentA"]!.GetValue<int>(), c["repliedA"]!.GetValue<int>(), c["sentB"]!.GetValue<int>(), c["repliedB"]!.GetValue<int>(), c["minimumPerArm"]!.GetValue<int>()));
        Assert.Equal("not-enough-data", c["verdict"]!.GetValue<string>());
        Assert.Single((await rita.GetJson("/api/v1/members/me/sequences"))[0]!["comparisons"]!.AsArray());
    }

    [Theory]
    [InlineData(Database.Sqlite)]
    [InlineData(Database.Postgres)]
    public async Task The_team_report_is_for_the_admin_and_the_operator_alone(Database database)
    {
        await using var server = await InMailServer.StartAsync(database);
        var op = await server.OperatorAsync();
        var ada = await server.MemberAsync("ada", "Ada Admin");
        var sid = await server.MemberAsync("sid", "Sid Seat");
        var bob = await server.MemberAsync("bob", "Bob Outsider");
        await Expect(await op.PostAsync("/api/v1/operator/teams", new { id = "acme", plan = "sales-navigator-advanced", seats = new[] { "ada", "sid" }, seatCap = 5 }), HttpStatusCode.Created);
        var sent = await Expect(await sid.PostAsync("/api/v1/messages", new { to = "bob", subject = "Hello", body = "A quick question?" }), HttpStatusCode.Created);
        await Expect(await bob.PostAsync($"/api/v1/messages/{sent["message"]!["id"]!.GetValue<string>()}/responses", new { kind = "accept" }), HttpStatusCode.Created);

        var report = await ada.GetJson("/api/v1/teams/acme/report");
        Assert.Equal(("acme", 5, 100), (report["team"]!.GetValue<string>(), report["seatCap"]!.GetValue<int>(), report["poolBalance"]!.GetValue<int>()));
        var seat = report["seats"]!.AsArray().Single(s => s!["member"]!.GetValue<string>() == "sid")!;
        Assert.Equal((1, 1, 1.0, 1, 1, 1), (seat["sent"]!.GetValue<int>(), seat["replied"]!.GetValue<int>(), seat["replyRate"]!.GetValue<double>(),
            seat["poolCreditsSpent"]!.GetValue<int>(), seat["poolCreditsRefunded"]!.GetValue<int>(), seat["poolSpentThisCycle"]!.GetValue<int>()));
        var cycle = Assert.Single(report["cycles"]!.AsArray())!;
        Assert.Equal((0, 100, 1, 1, 0), (cycle["cycle"]!.GetValue<int>(), cycle["granted"]!.GetValue<int>(), cycle["spent"]!.GetValue<int>(),
            cycle["refunded"]!.GetValue<int>(), cycle["expired"]!.GetValue<int>()));
        Assert.Equal("sid", cycle["spentBySeat"]![0]!["member"]!.GetValue<string>());

        Assert.Equal(2, (await op.GetJson("/api/v1/teams/acme/report"))["seats"]!.AsArray().Count);
        await Refused(await sid.GetAsync("/api/v1/teams/acme/report"), HttpStatusCode.Forbidden, "forbidden");
        await Refused(await bob.GetAsync("/api/v1/teams/acme/report"), HttpStatusCode.NotFound, "unknown-team");
        await Refused(await ada.GetAsync("/api/v1/teams/nope/report"), HttpStatusCode.NotFound, "unknown-team");
        await Refused(await ada.GetAsync("/api/v1/teams/acme/report?to=soon"), HttpStatusCode.BadRequest, "invalid-input");
        await Refused(await ada.GetAsync("/api/v1/teams/acme/report?from=2026-04-01T00:00:00Z&to=2026-03-01T00:00:00Z"), HttpStatusCode.BadRequest, "invalid-input");
    }
}
