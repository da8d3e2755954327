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
    public async Task A_member_starts_a_team_and_offers_seats_which_members_accept_decline_or_leave()
    {
        await using var server = BrowserServer.Start();
        await server.RegisterAsync("erin", "Erin Evans");
        await server.RegisterAsync("frank", "Frank Fischer");
        await server.RegisterAsync("hal", "Hal Hughes");
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
        var others = page.GetByLabel("Offer seats to (member ids, separated by commas or spaces)");
        await page.GetByLabel("Team id").FillAsync("erin's team");
        await others.FillAsync("frank, gina");
        await page.GetByRole(AriaRole.Button, new() { Name = "Start the team" }).ClickAsync();
        await Expect(page.Locator("#id-error")).ToContainTextAsync("invalid-input");
        await page.GetByLabel("Team id").FillAsync("erin-team");
        await page.GetByRole(AriaRole.Button, new() { Name = "Start the team" }).ClickAsync();
        await Expect(page.Locator("#seats-error")).ToContainTextAsync("team-seat-conflict");
        await Expect(page.Locator("#seats-error")).ToContainTextAsync("Gina Garcia");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Team", Exact = true })).ToHaveCountAsync(0);

        // The others are offered a seat, not given one: the admin alone holds one, and the pool counts one.
        await others.FillAsync("frank");
        await page.GetByRole(AriaRole.Button, new() { Name = "Start the team" }).ClickAsync();
        await page.WaitForURLAsync("**/team", new() { WaitUntil = WaitUntilState.Commit });
        await Expect(page.Locator(".flash")).ToHaveTextAsync("Team erin-team started; its pool has its first credits. 1 member was offered a seat, theirs once they accept.");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Seats (1)" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Pool: 50 credits" })).ToBeVisibleAsync();
        await Expect(page.GetByTestId("pending-offers")).ToContainTextAsync("Frank Fischer");
        // The admin finds people by name, as Compose does, never by a raw id; who already holds or was offered a seat says so.
        await page.GetByLabel("Find someone by name, company or headline").FillAsync("Hughes");
        await page.GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Offer a seat to Hal Hughes" }).ClickAsync();
        await Expect(page.Locator(".flash")).ToHaveTextAsync("Seat offered: it is theirs once they accept.");
        await page.GetByLabel("Find someone by name, company or headline").FillAsync("F");
        await page.GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.List, new() { Name = "Members found" })).ToContainTextAsync("Frank Fischer");
        await Expect(page.GetByRole(AriaRole.List, new() { Name = "Members found" }).Locator("li", new() { HasText = "Frank Fischer" })).ToContainTextAsync("Offered");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Offer a seat to Frank Fischer" })).ToHaveCountAsync(0);
        await Screenshots.SaveAsync(page, "team-offer-search");
        var phone = await chromium.NewPageAsync(server.Address, phone: true);
        await phone.SignInAsync("erin");
        await phone.GotoAsync("/team?q=F");
        await Expect(phone.GetByRole(AriaRole.List, new() { Name = "Members found" })).ToContainTextAsync("Frank Fischer");
        Assert.True(await phone.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"), "the page is wider than the phone");
        await Screenshots.SaveAsync(phone, "team-offer-search-phone");
        await Expect(page.GetByTestId("pending-offers")).ToContainTextAsync("Hal Hughes");
        await Screenshots.SaveAsync(page, "team-admin-offers");

        // Frank sees the offer and accepts it; then he holds a seat, read only, and can leave.
        var frank = await chromium.NewPageAsync(server.Address);
        await frank.SignInAsync("frank");
        await frank.GetByRole(AriaRole.Link, new() { Name = "Team (1 seat offer)", Exact = true }).ClickAsync();
        await Expect(frank.GetByTestId("offer-erin-team")).ToContainTextAsync("Team erin-team on Sales Navigator Advanced, offered by Erin Evans");
        await Screenshots.SaveAsync(frank, "team-offer");
        await frank.GetByRole(AriaRole.Button, new() { Name = "Accept the seat on erin-team" }).ClickAsync();
        await Expect(frank.Locator(".flash")).ToHaveTextAsync("You hold a seat on team erin-team: its plan is yours, and your InMails spend from its pool.");
        await Expect(frank.Locator("main")).ToContainTextAsync("You hold a seat on this team; its admin, Erin Evans, manages the seats and the cap.");
        await Expect(frank.GetByTestId("seat-cap")).ToHaveTextAsync("No cap: a seat may spend what the pool holds.");
        await Expect(frank.GetByLabel("Find someone by name, company or headline")).ToHaveCountAsync(0); // only the admin offers seats
        await Expect(frank.GetByRole(AriaRole.Button, new() { Name = "Save cap" })).ToHaveCountAsync(0);
        await Expect(frank.GetByRole(AriaRole.Button, new() { Name = "Remove seat" })).ToHaveCountAsync(0);
        await Screenshots.SaveAsync(frank, "team-seat");
        await frank.GetByRole(AriaRole.Button, new() { Name = "Leave the team" }).ClickAsync();
        await frank.WaitForURLAsync("**/plans", new() { WaitUntil = WaitUntilState.Commit });
        await Expect(frank.Locator(".flash")).ToHaveTextAsync("You left team erin-team; your plan is Basic until you choose another.");
        await Expect(frank.GetByRole(AriaRole.Link, new() { Name = "Team", Exact = true })).ToHaveCountAsync(0);

        // Hal declines: the offer is gone, and so is the Team page for him.
        var hal = await chromium.NewPageAsync(server.Address);
        await hal.SignInAsync("hal");
        await hal.GotoAsync("/team");
        await hal.GetByRole(AriaRole.Button, new() { Name = "Decline the seat on erin-team" }).ClickAsync();
        await hal.WaitForURLAsync("**/inbox", new() { WaitUntil = WaitUntilState.Commit });
        await Expect(hal.Locator(".flash")).ToHaveTextAsync("You declined the seat on team erin-team.");
        await page.GotoAsync("/team");
        await Expect(page.GetByTestId("pending-offers")).ToHaveCountAsync(0);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Seats (1)" })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task The_api_documentation_works_under_its_content_security_policy()
    {
        await using var server = BrowserServer.Start();
        var page = await chromium.NewPageAsync(server.Address);
        var errors = new List<string>();
        page.Console += (_, m) =>
        {
            if (m.Type == "error")
            {
                errors.Add(m.Text);
            }
        };

        var response = await page.GotoAsync("/api/docs/index.html");

        Assert.Contains("script-src 'self'", await response!.HeaderValueAsync("content-security-policy") ?? "", StringComparison.Ordinal);
        // The OpenAPI document is made on its first request: on a 2-core machine running two test suites it took longer
        // than the default 5 s wait.
        await Expect(page.GetByText("/api/v1/messages").First).ToBeVisibleAsync(new() { Timeout = 30_000 });
        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }

    private static async Task<DateTimeOffset?> SubscriptionEndAsync(BrowserServer server, string token)
    {
        var subscription = await server.CallAsync(token, HttpMethod.Get, "/api/v1/members/me/subscription");
        return subscription["endsAt"] is JsonValue ends ? ends.GetValue<DateTimeOffset>() : null;
    }
}
