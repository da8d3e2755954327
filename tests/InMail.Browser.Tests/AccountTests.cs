using System.Text.Json.Nodes;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace InMail.Browser.Tests;

/// <summary>The member's own account in a real browser: cancelling and keeping a plan, the profile, starting a team.</summary>
public sealed class AccountTests(Chromium chromium)
{
    [Fact]
    public async Task Cancelling_says_when_the_plan_ends_and_what_is_forfeited_and_keeping_it_withdraws_the_cancellation()
    {
        await using var server = BrowserServer.Start();
        var alice = await server.RegisterAsync("alice", "Alice Archer");
        await server.CallAsync(alice, HttpMethod.Post, "/api/v1/members/me/subscription", new { plan = "premium-career" });
        await server.CallAsync(alice, HttpMethod.Post, "/api/v1/members/me/purchases", new { pack = 10 });
        var page = await chromium.NewPageAsync(server.Address);
        await page.SignInAsync("alice");

        await page.GotoAsync("/plans");
        await page.GetByRole(AriaRole.Region, new() { Name = "Premium Career" }).GetByRole(AriaRole.Link, new() { Name = "Cancel…" }).ClickAsync();
        var confirm = page.GetByRole(AriaRole.Region, new() { Name = "Cancel Premium Career: what happens to your credits" });
        await Expect(confirm).ToContainTextAsync("You keep Premium Career until the end of the paid period, 2026-04-02 09:00 UTC, with no more grant before then.");
        await Expect(confirm).ToContainTextAsync("Forfeited then: the allowance credits still left at that moment (you have 5 credits now). No money is refunded.");
        await Expect(confirm).ToContainTextAsync("Stays: 10 credits from packs, bonuses and refunds, frozen on Basic until you subscribe again.");
        await Screenshots.SaveAsync(page, "plans-confirm-cancel");
        await page.GetByRole(AriaRole.Button, new() { Name = "Confirm: Cancel Premium Career" }).ClickAsync();
        await Expect(page.Locator(".flash")).ToHaveTextAsync("Your plan is cancelled at the end of the paid period.");
        await Expect(page.Locator("main")).ToContainTextAsync("It ends on 2026-04-02 09:00 UTC.");
        Assert.Equal(new DateTimeOffset(2026, 4, 2, 9, 0, 0, TimeSpan.Zero), await SubscriptionEndAsync(server, alice));

        await page.GetByRole(AriaRole.Link, new() { Name = "Keep Premium Career…" }).ClickAsync();
        var keep = page.GetByRole(AriaRole.Region, new() { Name = "Keep Premium Career: what happens to your credits" });
        await Expect(keep).ToContainTextAsync("The cancellation is withdrawn: Premium Career no longer ends on 2026-04-02 09:00 UTC.");
        await Expect(keep).ToContainTextAsync("Nothing is forfeited: your 5 credits of monthly allowance stay, and the monthly grants go on (next on 2026-04-02).");
        await page.GetByRole(AriaRole.Button, new() { Name = "Confirm: Keep Premium Career" }).ClickAsync();
        await Expect(page.Locator(".flash")).ToHaveTextAsync("Your plan continues: the cancellation is withdrawn.");
        await Expect(page.Locator("main")).Not.ToContainTextAsync("It ends on");
        Assert.Null(await SubscriptionEndAsync(server, alice));

        await page.GotoAsync("/credits");
        await Expect(page.GetByTestId("balance")).ToHaveTextAsync("15"); // nothing was forfeited either way
    }

    [Fact]
    public async Task Editing_the_profile_changes_what_others_find_and_a_bad_field_is_refused_beside_it_changing_nothing()
    {
        await using var server = BrowserServer.Start();
        await server.RegisterAsync("erin", "Erin Evans");
        await server.RegisterAsync("frank", "Frank Fischer");
        var page = await chromium.NewPageAsync(server.Address);
        await page.SignInAsync("erin");

        await page.GetByRole(AriaRole.Link, new() { Name = "Your profile: Erin Evans" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Your profile" })).ToBeVisibleAsync();
        await page.GetByLabel("Headline (optional)").FillAsync("Data engineer <streaming>");
        await Expect(page.Locator("#headline-count")).ToHaveTextAsync("25 / 220");
        await page.GetByLabel("Company (optional)").FillAsync("Fabrikam");
        await page.GetByLabel("Time zone (optional)").FillAsync("Europe/Paris");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save profile" }).ClickAsync();
        await Expect(page.Locator(".flash")).ToHaveTextAsync("Profile saved.");
        await Expect(page.GetByLabel("Company (optional)")).ToHaveValueAsync("Fabrikam");
        await Screenshots.SaveAsync(page, "profile");

        // A time zone that is not one, and a name over 100 characters: each refused beside its field, with the API's code.
        await page.GetByLabel("Time zone (optional)").FillAsync("Mars/Olympus Mons");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save profile" }).ClickAsync();
        await Expect(page.Locator("#timezone-error")).ToContainTextAsync("'Mars/Olympus Mons' is not an IANA time zone name such as Europe/Paris.");
        await Expect(page.Locator("#timezone-error")).ToContainTextAsync("invalid-input");
        await page.GetByLabel("Time zone (optional)").FillAsync("Europe/Paris");
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync(new string('E', 101));
        await Expect(page.Locator("#name-count")).ToHaveTextAsync("101 / 100");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save profile" }).ClickAsync();
        await Expect(page.Locator("#name-error")).ToContainTextAsync("A name is 1–100 characters.");
        await Expect(page.Locator("#timezone-error")).ToHaveCountAsync(0);
        await page.GotoAsync("/profile");
        await Expect(page.GetByLabel("Name", new() { Exact = true })).ToHaveValueAsync("Erin Evans");
        await Expect(page.GetByLabel("Time zone (optional)")).ToHaveValueAsync("Europe/Paris");

        // Another member finds Erin by her new company, with the headline shown as text.
        var frank = await chromium.NewPageAsync(server.Address);
        await frank.SignInAsync("frank");
        await frank.GotoAsync("/compose?q=fabrikam");
        var found = frank.GetByRole(AriaRole.List, new() { Name = "Members found" });
        await Expect(found).ToContainTextAsync("Erin Evans");
        await Expect(found).ToContainTextAsync("Data engineer <streaming> · Fabrikam");
    }

    [Fact]
    public async Task A_member_starts_a_team_from_the_plans_page_and_becomes_its_admin()
    {
        await using var server = BrowserServer.Start();
        await server.RegisterAsync("erin", "Erin Evans");
        await server.RegisterAsync("frank", "Frank Fischer");
        var gina = await server.RegisterAsync("gina", "Gina Garcia");
        await server.CallAsync(gina, HttpMethod.Post, "/api/v1/members/me/subscription", new { plan = "premium-career" });
        var page = await chromium.NewPageAsync(server.Address);
        await page.SignInAsync("erin");

        await page.GotoAsync("/plans");
        await page.GetByRole(AriaRole.Region, new() { Name = "Sales Navigator Advanced" }).GetByRole(AriaRole.Link, new() { Name = "Start a team…" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Start a team" })).ToBeVisibleAsync();
        await Expect(page.GetByLabel("Sales Navigator Advanced")).ToBeCheckedAsync();
        await Expect(page.Locator("main")).ToContainTextAsync("The pool gets 50 credits per seat now and at every monthly cycle, up to 150 per seat unused");
        await Screenshots.SaveAsync(page, "team-new");

        // Each refusal beside its field, with the API's code; nothing is created until all is right.
        await page.GetByLabel("Team id").FillAsync("erin's team");
        await page.GetByLabel("Other seats (member ids, separated by commas or spaces)").FillAsync("frank, gina");
        await page.GetByRole(AriaRole.Button, new() { Name = "Start the team" }).ClickAsync();
        await Expect(page.Locator("#id-error")).ToContainTextAsync("invalid-input");
        await page.GetByLabel("Team id").FillAsync("erin-team");
        await page.GetByRole(AriaRole.Button, new() { Name = "Start the team" }).ClickAsync();
        await Expect(page.Locator("#seats-error")).ToContainTextAsync("team-seat-conflict");
        await Expect(page.Locator("#seats-error")).ToContainTextAsync("Gina Garcia");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Team", Exact = true })).ToHaveCountAsync(0);

        await page.GetByLabel("Other seats (member ids, separated by commas or spaces)").FillAsync("frank");
        await page.GetByRole(AriaRole.Button, new() { Name = "Start the team" }).ClickAsync();
        await page.WaitForURLAsync("**/team", new() { WaitUntil = WaitUntilState.Commit });
        await Expect(page.Locator(".flash")).ToHaveTextAsync("Team erin-team started with 2 seats; its pool has its first credits.");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Seats (2)" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Pool: 100 credits" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Team", Exact = true })).ToHaveCountAsync(1);

        // A seat sees the team read only: who manages it, the pool, the cap; none of the admin's forms.
        var frank = await chromium.NewPageAsync(server.Address);
        await frank.SignInAsync("frank");
        await frank.GetByRole(AriaRole.Link, new() { Name = "Team", Exact = true }).ClickAsync();
        await Expect(frank.Locator("main")).ToContainTextAsync("You hold a seat on this team; its admin, Erin Evans, manages the seats and the cap.");
        await Expect(frank.GetByRole(AriaRole.Heading, new() { Name = "Pool: 100 credits" })).ToBeVisibleAsync();
        await Expect(frank.GetByTestId("seat-cap")).ToHaveTextAsync("No cap: a seat may spend what the pool holds.");
        await Expect(frank.GetByRole(AriaRole.Button, new() { Name = "Add seat" })).ToHaveCountAsync(0);
        await Expect(frank.GetByRole(AriaRole.Button, new() { Name = "Save cap" })).ToHaveCountAsync(0);
        await Expect(frank.GetByRole(AriaRole.Button, new() { Name = "Remove seat" })).ToHaveCountAsync(0);
        await Screenshots.SaveAsync(frank, "team-seat");
    }

    private static async Task<DateTimeOffset?> SubscriptionEndAsync(BrowserServer server, string token)
    {
        var subscription = await server.CallAsync(token, HttpMethod.Get, "/api/v1/members/me/subscription");
        return subscription["endsAt"] is JsonValue ends ? ends.GetValue<DateTimeOffset>() : null;
    }
}
