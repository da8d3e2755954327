using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace InMail.Browser.Tests;

/// <summary>SPEC §12 in the pages: the plan advisor, reached from Results, names the cheapest plan per reply and fits a phone.</summary>
public sealed class AdvisorTests(Chromium chromium)
{
    [Fact]
    public async Task A_member_opens_the_advisor_from_Results_and_reads_the_cheapest_plan_per_reply_with_its_reason()
    {
        await using var server = BrowserServer.Start();
        var alice = await server.RegisterAsync("alice", "Alice Archer");
        await server.CallAsync(alice, HttpMethod.Post, "/api/v1/members/me/subscription", new { plan = "premium-career" });
        var ids = new Dictionary<string, string>();
        var tokens = new Dictionary<string, string>();
        foreach (var (id, name) in new[] { ("bob", "Bob Baker"), ("carol", "Carol Chen"), ("dana", "Dana Diaz"), ("erin", "Erin Evans") })
        {
            tokens[id] = await server.RegisterAsync(id, name);
            var sent = await server.CallAsync(alice, HttpMethod.Post, "/api/v1/messages", new { to = id, subject = "A role", body = "Interested in a chat?" });
            ids[id] = sent["message"]!["id"]!.GetValue<string>();
        }
        server.Clock.Advance(TimeSpan.FromHours(2));
        await server.CallAsync(tokens["bob"], HttpMethod.Post, $"/api/v1/messages/{ids["bob"]}/responses", new { kind = "reply", body = "Sure, Tuesday?" });
        server.Clock.Advance(TimeSpan.FromHours(1));

        var page = await chromium.NewPageAsync(server.Address);
        await page.SignInAsync("alice");
        await page.GotoAsync("/results");
        await page.GetByRole(AriaRole.Link, new() { Name = "Plan advisor" }).ClickAsync();

        // The last 365 days: Premium Career's 12 months at $29.99 for 4 InMails and 1 reply is the least per reply.
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Cheapest per reply: Premium Career, billed monthly" })).ToBeVisibleAsync();
        await Expect(page.GetByTestId("reason")).ToContainTextAsync("Premium Career, billed monthly costs $359.88 for 1 reply: $359.88 a reply");
        var plans = page.GetByTestId("plans");
        await Expect(plans.Locator("tbody tr")).ToHaveCountAsync(9);
        var career = plans.GetByRole(AriaRole.Row, new() { Name = "Premium Career, billed monthly" });
        await Expect(career).ToContainTextAsync("cheapest per reply");
        await Expect(career).ToContainTextAsync("$359.88");
        await Screenshots.SaveAsync(page, "advisor");

        // A period that ends before it starts is refused beside the form, with its code.
        await page.GetByLabel("First day").FillAsync("2026-03-05");
        await page.GetByLabel("Last day").FillAsync("2026-03-01");
        await page.GetByRole(AriaRole.Button, new() { Name = "Advise" }).ClickAsync();
        await Expect(page.Locator("#period-error")).ToContainTextAsync("invalid-input");

        // At phone width the page fits: each plan is a block of labelled figures.
        var phone = await chromium.NewPageAsync(server.Address, phone: true);
        await phone.SignInAsync("alice");
        await phone.GotoAsync("/advisor");
        await Expect(phone.GetByTestId("plans").Locator("td[data-label='Cost per reply']").First).ToHaveTextAsync("$359.88");
        await Screenshots.SaveAsync(phone, "advisor-phone");
        Assert.True(await phone.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"), "the page is wider than the phone");
    }
}
