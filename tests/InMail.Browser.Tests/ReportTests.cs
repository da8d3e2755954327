using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace InMail.Browser.Tests;

/// <summary>Decision 013 in the pages: results per template reached from Results, and the team report for its admin only.</summary>
public sealed class ReportTests(Chromium chromium)
{
    [Fact]
    public async Task A_sender_reads_results_per_template_with_the_sample_a_verdict_needs()
    {
        await using var server = BrowserServer.Start();
        var rita = await server.RegisterAsync("rita", "Rita Gomez");
        await server.CallAsync(rita, HttpMethod.Post, "/api/v1/members/me/subscription", new { plan = "premium-business" });
        await server.CallAsync(rita, HttpMethod.Put, "/api/v1/members/me/templates/intro", new { subject = "Hello {{firstName}}", body = "{{firstName}}, a chat?" });
        await server.CallAsync(rita, HttpMethod.Put, "/api/v1/members/me/templates/short", new { subject = "A role?", body = "Could we talk?" });
        var sam = await server.RegisterAsync("sam", "Sam Lee");
        await server.RegisterAsync("bo", "Bo Chen");
        var sent = await server.CallAsync(rita, HttpMethod.Post, "/api/v1/messages", new { to = "sam", template = "intro" });
        await server.CallAsync(rita, HttpMethod.Post, "/api/v1/messages", new { to = "bo", template = "short" });
        server.Clock.Advance(TimeSpan.FromHours(1));
        await server.CallAsync(sam, HttpMethod.Post, $"/api/v1/messages/{sent["message"]!["id"]!.GetValue<string>()}/responses", new { kind = "reply", body = "Sure." });

        var page = await chromium.NewPageAsync(server.Address);
        await page.SignInAsync("rita");
        await page.GotoAsync("/results");
        await page.GetByRole(AriaRole.Link, new() { Name = "Results by template" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Results by template" })).ToBeVisibleAsync();
        await Expect(page.GetByTestId("minimum")).ToHaveTextAsync("200 sends");
        var table = page.GetByTestId("templates");
        // A tie in sends: the smaller id, "intro", is the baseline.
        await Expect(table.Locator("tr[data-template=\"intro\"]")).ToContainTextAsync("the baseline");
        var other = table.Locator("tr[data-template=\"short\"]");
        await Expect(other).ToContainTextAsync("p = 1, difference −100.0 points");
        await Expect(other).ToContainTextAsync("not enough data yet (it needs 200 sends on each side: 1 and 1 so far)");
        await Screenshots.SaveAsync(page, "results-templates");
    }

    [Fact]
    public async Task The_admin_reads_the_team_report_and_a_seat_is_not_allowed()
    {
        await using var server = BrowserServer.Start();
        var ada = await server.RegisterAsync("ada", "Ada Admin");
        var sid = await server.RegisterAsync("sid", "Sid Seat");
        await server.RegisterAsync("bob", "Bob Baker");
        await server.CallAsync(ada, HttpMethod.Post, "/api/v1/teams", new { id = "acme", plan = "sales-navigator-advanced", seats = new[] { "ada", "sid" } });
        await server.CallAsync(sid, HttpMethod.Post, "/api/v1/members/me/seat-offers/acme/accept");
        await server.CallAsync(sid, HttpMethod.Post, "/api/v1/messages", new { to = "bob", subject = "Hello", body = "A quick question?" });

        var page = await chromium.NewPageAsync(server.Address);
        await page.SignInAsync("ada");
        await page.GotoAsync("/team");
        await page.GetByRole(AriaRole.Link, new() { Name = "Team report" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Team report: acme" })).ToBeVisibleAsync();
        await Expect(page.GetByTestId("seats").GetByRole(AriaRole.Row, new() { Name = "Sid Seat" })).ToContainTextAsync("0%");
        await Expect(page.GetByTestId("cycles").Locator("tbody tr")).ToHaveCountAsync(1);
        await Screenshots.SaveAsync(page, "team-report");

        var seat = await chromium.NewPageAsync(server.Address);
        await seat.SignInAsync("sid");
        var response = await seat.GotoAsync("/team/report");
        Assert.Equal(403, response!.Status);
        await Expect(seat.GetByRole(AriaRole.Heading, new() { Name = "Not allowed" })).ToBeVisibleAsync();
    }
}
