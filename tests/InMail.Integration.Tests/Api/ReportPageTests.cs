using System.Net;
using InMail.Web.Api;
using InMail.Web.Pages;
using static InMail.Integration.Tests.Api.ApiClient;
using Browser = InMail.Integration.Tests.Api.ErrorPageTests.Browser;

namespace InMail.Integration.Tests.Api;

/// <summary>
/// Decision 013's pages as a browser without script sees them: results per template with the sample size
/// a verdict needs, the A/B line of a sequence, and the team report for the admin alone (a seat gets 403).
/// </summary>
public sealed class ReportPageTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<(HttpStatusCode, string)> GetAsync(Browser browser, string path)
    {
        var response = await browser.GetAsync(path);
        return (response.StatusCode, WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync(Ct)));
    }

    [Fact]
    public void Comparisons_are_said_in_points_with_their_interval_and_the_sample_they_need()
    {
        var c = new ComparisonView(10, 5, 0.5, 12, 3, 0.25, 200, 0.3913, 0.25, -0.1406, 0.5601, "not-enough-data");
        Assert.Equal("p = 0.391, difference +25.0 points (95% CI −14.1 to +56.0)", ComparisonText.Figures(c));
        Assert.Equal("not enough data yet (it needs 200 sends on each side: 10 and 12 so far)", ComparisonText.Verdict(c, "A", "B"));
        Assert.Equal("B does better", ComparisonText.Verdict(c with { Verdict = "b-does-better" }, "A", "B"));
        Assert.Equal("p < 0.001", ComparisonText.Figures(c with { PValue = 0.0004 })[..9]);
        Assert.Equal("no sends on one side yet", ComparisonText.Figures(c with { PValue = null }));
        Assert.Equal("0.0 points", ComparisonText.Points(0.0001));
    }

    [Fact]
    public async Task Results_by_template_show_each_template_against_the_most_used_and_the_sequence_its_A_B_line()
    {
        await using var server = await InMailServer.StartAsync(Database.Sqlite);
        var browser = await Browser.SignedInAsync(server, "rita");
        var rita = server.As(await server.Anonymous().SignInAsync("rita", Password));
        await server.MemberAsync("sam", "Sam Lee");
        await server.MemberAsync("bo", "Bo Chen");
        await server.MemberAsync("pat", "Pat Kim");
        await Expect(await rita.PostAsync("/api/v1/members/me/subscription", new { plan = "premium-business" }), HttpStatusCode.Created);
        await Expect(await rita.PutAsync("/api/v1/members/me/templates/intro", new { subject = "Hello {{firstName}}", body = "{{firstName}}, a chat?" }), HttpStatusCode.OK);
        await Expect(await rita.PutAsync("/api/v1/members/me/templates/intro-b", new { subject = "A role?", body = "Could we talk?" }), HttpStatusCode.OK);

        var (status, page) = await GetAsync(browser, "/results/templates");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("You sent no InMail in this period.", page, StringComparison.Ordinal);
        Assert.Contains("200 sends", page, StringComparison.Ordinal);
        Assert.Contains("/results/templates", (await GetAsync(browser, "/results")).Item2, StringComparison.Ordinal);

        await Expect(await rita.PutAsync("/api/v1/members/me/sequences/hire", new { steps = new object[] { new { day = 0, variants = new[] { "intro", "intro-b" } } } }), HttpStatusCode.OK);
        await Expect(await rita.PostAsync("/api/v1/members/me/sequences/hire/enrollments", new { recipients = new[] { "sam", "bo", "pat" } }, "e-1"), HttpStatusCode.Created);

        (_, page) = await GetAsync(browser, "/results/templates");
        Assert.Contains("Each template is compared with your most-used one, “intro”", page, StringComparison.Ordinal);
        Assert.Contains("<tr data-template=\"intro-b\">", page, StringComparison.Ordinal);
        // intro: 2 sent (sam, pat), intro-b: 1 (bo); nobody replied: p = 1, difference 0.
        Assert.Contains("p = 1, difference 0.0 points (95% CI", page, StringComparison.Ordinal);
        Assert.Contains("not enough data yet (it needs 200 sends on each side: 1 and 2 so far)", page, StringComparison.Ordinal);

        (_, page) = await GetAsync(browser, "/sequences/hire");
        Assert.Contains("Step 1, A vs B: p = 1, difference 0.0 points", page, StringComparison.Ordinal);
        Assert.Contains("not enough data yet (it needs 200 sends on each side: 2 and 1 so far)", page, StringComparison.Ordinal);
        Assert.Contains("Fisher’s exact test (two-sided)", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_team_report_page_is_the_admins_and_a_seat_gets_403()
    {
        await using var server = await InMailServer.StartAsync(Database.Sqlite);
        var ada = await Browser.SignedInAsync(server, "ada");
        var sid = await Browser.SignedInAsync(server, "sid");
        var bob = await Browser.SignedInAsync(server, "bob");
        var op = await server.OperatorAsync();
        await Expect(await op.PostAsync("/api/v1/operator/teams", new { id = "acme", plan = "sales-navigator-advanced", seats = new[] { "ada", "sid" }, seatCap = 5 }), HttpStatusCode.Created);
        var sidApi = server.As(await server.Anonymous().SignInAsync("sid", Password));
        await Expect(await sidApi.PostAsync("/api/v1/messages", new { to = "bob", subject = "Hello", body = "A quick question?" }), HttpStatusCode.Created);

        var (status, page) = await GetAsync(ada, "/team/report");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("Team report: acme", page, StringComparison.Ordinal);
        Assert.Contains("<tr data-member=\"sid\">", page, StringComparison.Ordinal);
        Assert.Contains("<td>1 of 5</td>", page, StringComparison.Ordinal);
        Assert.Contains("<tr data-cycle=\"0\">", page, StringComparison.Ordinal);
        Assert.Contains("href=\"/team/report\"", (await GetAsync(ada, "/team")).Item2, StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.Forbidden, (await GetAsync(sid, "/team/report")).Item1);
        Assert.DoesNotContain("href=\"/team/report\"", (await GetAsync(sid, "/team")).Item2, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync(bob, "/team/report")).Item1);
    }
}
