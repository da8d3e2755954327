using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace InMail.Browser.Tests;

/// <summary>Every main page on the seeded demo network, at desktop and phone width, saved as screenshots for review.</summary>
public sealed class PagesTests(Chromium chromium)
{
    private static readonly string[] MemberPages =
        ["/inbox", "/inbox?filter=inmail", "/inbox?filter=snoozed", "/compose?q=engineer", "/sequences", "/credits", "/results", "/results/templates", "/plans", "/plans?intent=cancel", "/network", "/settings", "/profile", "/team/new", "/labels", "/notifications"];

    [Fact]
    public async Task Every_main_page_renders_for_a_demo_member_with_a_heading_and_fits_a_phone_screen()
    {
        await using var server = BrowserServer.Start("Demo");
        foreach (var phone in new[] { false, true })
        {
            var page = await chromium.NewPageAsync(server.Address, phone);
            var errors = new List<string>();
            page.Console += (_, m) =>
            {
                if (m.Type == "error")
                {
                    errors.Add($"{m.Text} ({m.Location})");
                }
            };
            await page.GotoAsync("/sign-in");
            await Screenshots.SaveAsync(page, Name("sign-in", phone));
            await page.GetByRole(AriaRole.Button, new() { Name = "Sign in as Maya Chen" }).ClickAsync();
            await page.WaitForURLAsync("**/inbox", new() { WaitUntil = WaitUntilState.Commit });

            foreach (var path in MemberPages)
            {
                await ShowAsync(page, path, phone);
            }
            await page.GotoAsync("/inbox");
            await page.GetByRole(AriaRole.List, new() { Name = "Conversations" }).GetByRole(AriaRole.Link).First.ClickAsync();
            await CheckAsync(page, phone);
            await Screenshots.SaveAsync(page, Name("demo-conversation", phone));
            Assert.True(errors.Count == 0, string.Join("\n", errors));
        }
    }

    [Fact]
    public async Task The_team_admin_sees_seats_and_pool_and_the_operator_moves_the_demo_clock()
    {
        await using var server = BrowserServer.Start("Demo");
        var admin = await chromium.NewPageAsync(server.Address);
        await admin.SignInAsync("sofia.alvarez", "demo-password");
        await admin.GetByRole(AriaRole.Link, new() { Name = "Team", Exact = true }).ClickAsync();
        await Expect(admin.GetByRole(AriaRole.Heading, new() { Name = "Seats (5)" })).ToBeVisibleAsync();
        await Expect(admin.GetByRole(AriaRole.Heading, new() { Name = "Pool:" })).ToBeVisibleAsync();
        await Screenshots.SaveAsync(admin, "demo-team");
        await admin.GetByRole(AriaRole.Link, new() { Name = "Team report" }).ClickAsync();
        await Expect(admin.GetByTestId("seats").Locator("tbody tr")).Not.ToHaveCountAsync(0);
        await Screenshots.SaveAsync(admin, "demo-team-report");
        await admin.GotoAsync("/team");
        // Taking a seat away asks first, saying what happens to the member and the pool.
        await admin.Locator("button[aria-label$=\"'s seat…\"]").First.ClickAsync();
        var removal = admin.GetByRole(AriaRole.Region, new() { Name = "seat away?" });
        await Expect(removal).ToContainTextAsync("goes to the free plan now");
        await Expect(removal).ToContainTextAsync("instead of 5");
        await Screenshots.SaveAsync(admin, "demo-team-confirm-remove");
        await removal.GetByRole(AriaRole.Link, new() { Name = "No, go back" }).ClickAsync();
        await Expect(admin.GetByRole(AriaRole.Heading, new() { Name = "Seats (5)" })).ToBeVisibleAsync();

        var desk = await chromium.NewPageAsync(server.Address);
        await desk.SignInAsync("operator", "operator-password");
        await desk.GetByRole(AriaRole.Link, new() { Name = "Demo clock", Exact = true }).ClickAsync();
        var before = await desk.GetByTestId("now").TextContentAsync();
        await desk.GetByRole(AriaRole.Button, new() { Name = "+1 week…" }).ClickAsync();
        var ask = desk.GetByRole(AriaRole.Region, new() { Name = "Move the clock +1 week" });
        await Expect(ask).ToContainTextAsync("It moves for everyone on this server, and it never goes back.");
        Assert.Equal(before, await desk.GetByTestId("now").TextContentAsync()); // asking moved nothing
        await Screenshots.SaveAsync(desk, "demo-clock-confirm");
        await ask.GetByRole(AriaRole.Button, new() { Name = "Confirm: move the clock +1 week" }).ClickAsync();
        await Expect(desk.Locator(".flash")).ToContainTextAsync("The clock moved to");
        Assert.NotEqual(before, await desk.GetByTestId("now").TextContentAsync());
        await Expect(desk.Locator("main")).ToContainTextAsync("7 days ahead of the real time");
        await Expect(desk.GetByRole(AriaRole.Heading, new() { Name = "What happened from" })).ToBeVisibleAsync();

        // A month always holds every paid member's monthly grant: the page counts them, from the ledgers.
        await desk.GetByRole(AriaRole.Button, new() { Name = "+1 month…" }).ClickAsync();
        await desk.GetByRole(AriaRole.Button, new() { Name = "Confirm: move the clock +1 month" }).ClickAsync();
        var effects = desk.GetByTestId("effects");
        await Expect(desk.Locator(".flash")).ToContainTextAsync("The clock moved to"); // still signed in: sessions last by real time
        await Expect(effects).ToContainTextAsync("monthly grants");
        var grants = int.Parse((await effects.Locator("li").First.TextContentAsync())!.Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(grants >= 10, $"{grants} grants in a month of the demo network");
        await Screenshots.SaveAsync(desk, "demo-clock");

        // A member does not get the clock.
        await Expect(admin.GetByRole(AriaRole.Link, new() { Name = "Demo clock", Exact = true })).ToHaveCountAsync(0);
        var response = await admin.GotoAsync("/demo-clock");
        Assert.Equal(404, response!.Status);
    }

    [Fact]
    public async Task A_free_member_cannot_turn_on_Open_Profile_and_is_told_why_beside_the_setting()
    {
        await using var server = BrowserServer.Start();
        await server.RegisterAsync("erin", "Erin Evans");
        var page = await chromium.NewPageAsync(server.Address);
        await page.SignInAsync("erin");
        await page.GotoAsync("/settings");
        await page.GetByLabel("Open Profile").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Expect(page.Locator("#open-profile-error")).ToContainTextAsync("it needs a paid plan");
        await Expect(page.Locator("#open-profile-error")).ToContainTextAsync("open-profile-requires-premium");
        await Screenshots.SaveAsync(page, "settings-refused");
    }

    [Fact]
    public async Task A_free_member_invites_with_a_note_and_sees_the_monthly_note_limit()
    {
        await using var server = BrowserServer.Start();
        await server.RegisterAsync("erin", "Erin Evans");
        await server.RegisterAsync("bob", "Bob Baker");
        var page = await chromium.NewPageAsync(server.Address);
        await page.SignInAsync("erin");
        await page.GotoAsync("/network?invite=bob");
        await Expect(page.Locator("#note-rule")).ToContainTextAsync("At most 200 characters.");
        await Expect(page.Locator("#note-rule")).ToContainTextAsync("0 used this month");
        await page.GetByLabel("Note (optional)").FillAsync("We met at the meetup");
        await Expect(page.Locator("#note-count")).ToHaveTextAsync("20 / 200");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send invitation" }).ClickAsync();
        await Expect(page.Locator(".flash")).ToHaveTextAsync("Invitation sent.");
        await Expect(page.GetByRole(AriaRole.Region, new() { Name = "Invitations sent" })).ToContainTextAsync("To Bob Baker");
        await Expect(page.Locator("#note-rule")).ToContainTextAsync("1 used this month");

        await page.GotoAsync("/network?invite=bob");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send invitation" }).ClickAsync();
        await Expect(page.Locator("#to-error")).ToContainTextAsync("invitation-pending");
    }

    [Fact]
    public async Task Searching_the_network_pages_through_everyone_who_matches()
    {
        await using var server = BrowserServer.Start();
        await server.RegisterAsync("erin", "Erin Evans");
        foreach (var i in Enumerable.Range(1, 25))
        {
            await server.RegisterAsync($"dev{i:00}", $"Devon {i:00}");
        }
        var page = await chromium.NewPageAsync(server.Address);
        await page.SignInAsync("erin");
        await page.GotoAsync("/network");
        await page.GetByLabel("Find someone by name, company or headline").FillAsync("devon");
        await page.GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAsync();
        var found = page.GetByRole(AriaRole.List, new() { Name = "Members found" }).GetByRole(AriaRole.Listitem);
        await Expect(found).ToHaveCountAsync(20);
        await Expect(found.First).ToContainTextAsync("Devon 01");
        await page.GetByRole(AriaRole.Link, new() { Name = "More people matching “devon”" }).ClickAsync();
        await Expect(found).ToHaveCountAsync(5);
        await Expect(found.First).ToContainTextAsync("Devon 21");
        await Expect(found.Last).ToContainTextAsync("Devon 25");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "More people matching “devon”" })).ToHaveCountAsync(0);

        // The first page with its link, at phone width, for review.
        var phone = await chromium.NewPageAsync(server.Address, phone: true);
        await phone.SignInAsync("erin");
        await phone.GotoAsync("/network?q=devon");
        await Expect(phone.GetByRole(AriaRole.Link, new() { Name = "More people matching “devon”" })).ToBeVisibleAsync();
        await Screenshots.SaveAsync(phone, "network-search-phone");
        await page.GotoAsync("/network?q=devon");
        await Screenshots.SaveAsync(page, "network-search");
    }

    [Fact]
    public async Task A_member_signs_in_skips_to_the_content_and_sends_a_message_with_the_keyboard_alone()
    {
        await using var server = BrowserServer.Start();
        var ops = await server.OperatorAsync();
        await server.RegisterAsync("alice", "Alice Archer");
        await server.RegisterAsync("bob", "Bob Baker");
        await server.CallAsync(ops, HttpMethod.Post, "/api/v1/operator/connections", new { a = "alice", b = "bob" });
        var page = await chromium.NewPageAsync(server.Address);

        await page.GotoAsync("/sign-in");
        await Expect(page.GetByLabel("Member id")).ToBeFocusedAsync(); // the form starts focused
        await page.Keyboard.TypeAsync("alice");
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.TypeAsync(BrowserServer.Password);
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForURLAsync("**/inbox", new() { WaitUntil = WaitUntilState.Load });

        // The first Tab shows the skip link; Enter moves focus past the navigation.
        await page.Keyboard.PressAsync("Tab");
        var skip = page.GetByRole(AriaRole.Link, new() { Name = "Skip to content" });
        await Expect(skip).ToBeFocusedAsync();
        await Expect(skip).ToBeInViewportAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.GetByRole(AriaRole.Main)).ToBeFocusedAsync();

        await page.GotoAsync("/compose?to=bob");
        await Expect(page.Locator("#cost")).ToHaveTextAsync("Free: 1st-degree connection");
        await TabToAsync(page, page.GetByLabel("Message"));
        await page.Keyboard.TypeAsync("Typed without a mouse.");
        await TabToAsync(page, page.GetByRole(AriaRole.Button, new() { Name = "Send", Exact = true }));
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator(".flash")).ToHaveTextAsync("Sent to Bob Baker: free (Message).");
        await Expect(page.Locator(".message .body")).ToHaveTextAsync("Typed without a mouse.");
    }

    /// <summary>Presses Tab until <paramref name="target"/> has the focus: it must be reachable in the tab order.</summary>
    private static async Task TabToAsync(IPage page, ILocator target)
    {
        for (var i = 0; i < 40; i++)
        {
            await page.Keyboard.PressAsync("Tab");
            if (await target.EvaluateAsync<bool>("el => el === document.activeElement"))
            {
                return;
            }
        }
        Assert.Fail($"{target} cannot be reached with the Tab key");
    }

    private static async Task ShowAsync(IPage page, string path, bool phone)
    {
        var response = await page.GotoAsync(path);
        Assert.True(response!.Ok, $"{path}: {response.Status}");
        await CheckAsync(page, phone);
        await Screenshots.SaveAsync(page, Name("demo-" + path.Trim('/').Replace("?", "-", StringComparison.Ordinal).Replace("=", "-", StringComparison.Ordinal), phone));
    }

    /// <summary>
    /// What a screen reader and a keyboard need: one h1, a main landmark, a name for every control
    /// and link, nothing taken out of the tab order; and on a phone nothing wider than the screen.
    /// </summary>
    internal static async Task CheckAsync(IPage page, bool phone)
    {
        await Expect(page.Locator("h1")).ToHaveCountAsync(1);
        await Expect(page.GetByRole(AriaRole.Main)).ToHaveCountAsync(1);
        var unnamed = await page.EvaluateAsync<string[]>("""
            () => [...document.querySelectorAll("input:not([type=hidden]), select, textarea, button, a[href]")]
                .filter(el => {
                    const named = (el.labels && el.labels.length > 0) || el.getAttribute("aria-label") || el.getAttribute("aria-labelledby")
                        || (el.matches("button, a") && el.textContent.trim().length > 0);
                    return !named || el.tabIndex < 0;
                })
                .map(el => el.outerHTML.slice(0, 120))
            """);
        Assert.True(unnamed.Length == 0, $"{page.Url}: controls without a name or out of the tab order:\n{string.Join("\n", unnamed)}");
        if (phone)
        {
            var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - window.innerWidth");
            Assert.True(overflow <= 0, $"{page.Url} is {overflow}px wider than a phone screen");
        }
    }

    private static string Name(string page, bool phone) => phone ? page + "-phone" : page;
}
