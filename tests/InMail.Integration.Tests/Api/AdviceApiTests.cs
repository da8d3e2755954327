using System.Net;
using System.Text.Json.Nodes;
using static InMail.Integration.Tests.Api.ApiClient;

namespace InMail.Integration.Tests.Api;

/// <summary>SPEC §12 over HTTP: the owner, <c>me</c> and the operator get the advice; nobody else; bad periods and unknown members are problems; nothing changes.</summary>
public sealed class AdviceApiTests
{
    [Theory]
    [InlineData(Database.Sqlite)]
    [InlineData(Database.Postgres)]
    public async Task A_member_and_the_operator_get_the_advice_and_the_members_account_is_untouched(Database database)
    {
        await using var server = await InMailServer.StartAsync(database);
        var op = await server.OperatorAsync();
        var rita = await server.MemberAsync("rita", "Rita Gomez");
        var sam = await server.MemberAsync("sam", "Sam Lee");
        await server.MemberAsync("pat", "Pat Kim");
        await server.MemberAsync("lee", "Lee Park");
        await Expect(await rita.PostAsync("/api/v1/members/me/subscription", new { plan = "premium-business" }), HttpStatusCode.Created);
        JsonNode? first = null;
        foreach (var to in new[] { "sam", "pat", "lee" })
        {
            var sent = await Expect(await rita.PostAsync("/api/v1/messages", new { to, subject = "A question", body = "Are you free this week?" }), HttpStatusCode.Created);
            first ??= sent;
        }
        await Expect(await sam.PostAsync($"/api/v1/messages/{first!["message"]!["id"]!.GetValue<string>()}/responses", new { kind = "accept" }), HttpStatusCode.Created);
        server.Clock.Advance(TimeSpan.FromHours(1)); // the period ends now, excluded: the sends are an hour before
        var stateBefore = (await op.GetJson("/api/v1/operator/state?activity=true")).ToJsonString();
        var ledgerBefore = await (await rita.GetAsync("/api/v1/members/me/exports/ledger.csv")).Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        var advice = await rita.GetJson("/api/v1/members/me/advice");

        // Default period: the last 365 days. Premium Career, 12 monthly cycles of $29.99 from 2 March 2025, pays for 3 InMails with
        // its allowance and gets 1 reply: $359.88 a reply, the cheapest (Business annual is $575.88).
        Assert.Equal("rita", advice["member"]!.GetValue<string>());
        Assert.Equal((3, 1), (advice["inMails"]!.GetValue<int>(), advice["responded"]!.GetValue<int>()));
        var plans = advice["plans"]!.AsArray();
        Assert.Equal(9, plans.Count);
        var career = plans[0]!;
        Assert.Equal(("premium-career", "monthly"), (career["plan"]!.GetValue<string>(), career["billing"]!.GetValue<string>()));
        Assert.Equal((35_988L, 3, 1, 35_988L), (career["priceCents"]!.GetValue<long>(), career["sent"]!.GetValue<int>(), career["replies"]!.GetValue<int>(),
            career["costPerReplyCents"]!.GetValue<long>()));
        Assert.Equal(("premium-career", "monthly"), (advice["cheapest"]!["plan"]!.GetValue<string>(), advice["cheapest"]!["billing"]!.GetValue<string>()));
        Assert.StartsWith("Premium Career, billed monthly costs $359.88 for 1 reply", advice["reason"]!.GetValue<string>(), StringComparison.Ordinal);

        Assert.Equal(advice.ToJsonString(), (await rita.GetJson("/api/v1/members/rita/advice")).ToJsonString());
        Assert.Equal(advice.ToJsonString(), (await op.GetJson("/api/v1/members/rita/advice")).ToJsonString());
        var march = await rita.GetJson("/api/v1/members/me/advice?from=2026-03-02T00:00:00Z&to=2026-03-03T00:00:00Z");
        Assert.Equal(2_999L, march["plans"]![0]!["priceCents"]!.GetValue<long>());

        await Refused(await sam.GetAsync("/api/v1/members/rita/advice"), HttpStatusCode.Forbidden, "forbidden");
        await Refused(await rita.GetAsync("/api/v1/members/me/advice?from=yesterday"), HttpStatusCode.BadRequest, "invalid-input");
        await Refused(await rita.GetAsync("/api/v1/members/me/advice?from=2026-03-02T00:00:00Z&to=2026-03-02T00:00:00Z"), HttpStatusCode.BadRequest, "invalid-input");
        await Refused(await rita.GetAsync("/api/v1/members/me/advice?from=2026-03-03T00:00:00Z&to=2026-03-02T00:00:00Z"), HttpStatusCode.BadRequest, "invalid-input");
        await Refused(await op.GetAsync("/api/v1/members/nobody/advice"), HttpStatusCode.NotFound, "unknown-member");

        Assert.Equal(stateBefore, (await op.GetJson("/api/v1/operator/state?activity=true")).ToJsonString());
        Assert.Equal(ledgerBefore, await (await rita.GetAsync("/api/v1/members/me/exports/ledger.csv")).Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }
}
