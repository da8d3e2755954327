using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace InMail.Browser.Tests;

/// <summary>The member's money paths in a real browser: what a send costs, where the credit goes, and when it comes back.</summary>
public sealed class MessagingTests(Chromium chromium)
{
    [Fact]
    public async Task A_paid_member_composes_an_InMail_to_a_stranger_sees_its_cost_and_the_credit_leaves_the_balance()
    {
        await using var server = BrowserServer.Start();
        var alice = await server.RegisterAsync("alice", "Alice Archer", "Recruiter", "Northwind");
        await server.RegisterAsync("bob", "Bob Baker", "Backend engineer", "Contoso");
        await server.CallAsync(alice, HttpMethod.Post, "/api/v1/members/me/subscription", new { plan = "premium-business" });
        var page = await chromium.NewPageAsync(server.Address);

        await page.SignInAsync("alice");
        await page.GetByRole(AriaRole.Link, new() { Name = "Compose" }).ClickAsync();
        await page.GetByLabel("Find a recipient by name, company or headline").FillAsync("Contoso");
        await page.GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Bob Baker" }).ClickAsync();

        await Expect(page.Locator("#cost")).ToHaveTextAsync("1 InMail credit (14 left)");
        await page.GetByLabel("Subject").FillAsync("A backend role");
        await page.GetByLabel("Message").FillAsync("Hi Bob, <b>interested</b> in a chat?");
        await Expect(page.Locator("#subject-count")).ToHaveTextAsync("14 / 200");
        await Expect(page.Locator("#body-count")).ToHaveTextAsync("36 / 1900");
        await Screenshots.SaveAsync(page, "compose-inmail");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send", Exact = true }).ClickAsync();

        await page.WaitForURLAsync("**/inbox/bob", new() { WaitUntil = WaitUntilState.Commit });
        await Expect(page.Locator(".flash")).ToHaveTextAsync("InMail sent: 1 credit spent, 14 left.");
        // Markup in a message is shown as text, never interpreted.
        await Expect(page.Locator(".message .body")).ToHaveTextAsync("Hi Bob, <b>interested</b> in a chat?");
        await Expect(page.Locator(".message .body b")).ToHaveCountAsync(0);
        await Expect(page.Locator(".status")).ToContainTextAsync("Not opened yet");
        await Expect(page.Locator(".status")).ToContainTextAsync("Its credit comes back if they respond by 2026-05-31 09:00 UTC (90 days left)");
        await Screenshots.SaveAsync(page, "conversation-sender");

        await page.GetByRole(AriaRole.Link, new() { Name = "Credits" }).ClickAsync();
        await Expect(page.GetByTestId("balance")).ToHaveTextAsync("14");
        await Expect(page.Locator(".ledger tbody tr").First).ToContainTextAsync("InMail to Bob Baker");
        await Expect(page.GetByRole(AriaRole.Region, new() { Name = "Credits that may come back" })).ToContainTextAsync("InMail to Bob Baker");
    }

    [Fact]
    public async Task The_recipient_declines_and_the_sender_sees_the_credit_come_back_with_the_ledger_line_that_explains_it()
    {
        await using var server = BrowserServer.Start();
        var alice = await server.RegisterAsync("alice", "Alice Archer");
        await server.RegisterAsync("bob", "Bob Baker");
        await server.CallAsync(alice, HttpMethod.Post, "/api/v1/members/me/subscription", new { plan = "premium-business" });
        await server.CallAsync(alice, HttpMethod.Post, "/api/v1/messages", new { to = "bob", subject = "A backend role", body = "Interested?" });
        server.Clock.Advance(TimeSpan.FromHours(3));

        var bob = await chromium.NewPageAsync(server.Address);
        await bob.SignInAsync("bob");
        var row = bob.GetByRole(AriaRole.List, new() { Name = "Conversations" }).GetByRole(AriaRole.Listitem).First;
        await Expect(row).ToContainTextAsync("Alice Archer");
        await Expect(row).ToContainTextAsync("InMail");
        await Expect(row).ToContainTextAsync("1 new message");
        await Screenshots.SaveAsync(bob, "inbox");
        await row.GetByRole(AriaRole.Link).ClickAsync();
        await Screenshots.SaveAsync(bob, "conversation-recipient");
        await bob.GetByRole(AriaRole.Button, new() { Name = "Decline" }).ClickAsync();
        await Expect(bob.Locator(".flash")).ToHaveTextAsync("You declined the InMail.");

        var page = await chromium.NewPageAsync(server.Address);
        await page.SignInAsync("alice");
        await page.GotoAsync("/inbox/bob");
        await Expect(page.Locator(".status").First).ToContainTextAsync("Opened just now");
        await Expect(page.Locator(".status").First).ToContainTextAsync("Answered: declined just now");
        await Expect(page.Locator(".status").First).ToContainTextAsync("Its credit came back just now");
        await page.GotoAsync("/credits");
        await Expect(page.GetByTestId("balance")).ToHaveTextAsync("15");
        var latest = page.Locator(".ledger tbody tr").First;
        await Expect(latest).ToContainTextAsync("Bob Baker declined your InMail \u201cA backend role\u201d: its credit came back");
        await Expect(latest).ToContainTextAsync("+1");
        await Screenshots.SaveAsync(page, "credits");
    }

    [Fact]
    public async Task A_connection_and_an_Open_Profile_are_free_and_cost_nothing()
    {
        await using var server = BrowserServer.Start();
        var ops = await server.OperatorAsync();
        var alice = await server.RegisterAsync("alice", "Alice Archer");
        await server.RegisterAsync("carol", "Carol Chen");
        var dana = await server.RegisterAsync("dana", "Dana Diaz");
        await server.CallAsync(alice, HttpMethod.Post, "/api/v1/members/me/subscription", new { plan = "premium-career" });
        await server.CallAsync(dana, HttpMethod.Post, "/api/v1/members/me/subscription", new { plan = "premium-career" });
        await server.CallAsync(dana, HttpMethod.Patch, "/api/v1/members/me/settings", new { openProfile = true });
        await server.CallAsync(ops, HttpMethod.Post, "/api/v1/operator/connections", new { a = "alice", b = "carol" });
        var page = await chromium.NewPageAsync(server.Address);
        await page.SignInAsync("alice");

        await page.GotoAsync("/compose?to=carol");
        await Expect(page.Locator("#cost")).ToHaveTextAsync("Free: 1st-degree connection");
        await Expect(page.GetByLabel("Subject")).ToBeHiddenAsync();
        await page.GetByLabel("Message").FillAsync("Lunch on Friday?");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send", Exact = true }).ClickAsync();
        await Expect(page.Locator(".flash")).ToHaveTextAsync("Sent to Carol Chen: free (Message).");

        await page.GotoAsync("/compose?to=dana");
        await Expect(page.Locator("#cost")).ToHaveTextAsync("Free: Open Profile");
        await page.GetByLabel("Subject").FillAsync("Hello");
        await page.GetByLabel("Message").FillAsync("Saw your talk.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send", Exact = true }).ClickAsync();
        await Expect(page.Locator(".flash")).ToHaveTextAsync("Sent to Dana Diaz: free (InMail (Open Profile)).");

        await page.GotoAsync("/credits");
        await Expect(page.GetByTestId("balance")).ToHaveTextAsync("5");
        await Expect(page.Locator(".ledger tbody tr")).ToHaveCountAsync(1); // the grant only: nothing was spent

        // A free member joins Alice's group on the network page; writing to her is then free, within the monthly group limit.
        await server.CallAsync(alice, HttpMethod.Post, "/api/v1/groups", new { id = "dotnet", name = ".NET Builders" });
        await server.RegisterAsync("erin", "Erin Evans");
        var erin = await chromium.NewPageAsync(server.Address);
        await erin.SignInAsync("erin");
        await erin.GotoAsync("/network");
        await erin.GetByRole(AriaRole.Button, new() { Name = "Join .NET Builders" }).ClickAsync();
        await Expect(erin.Locator(".flash")).ToHaveTextAsync("You joined the group.");
        await erin.GotoAsync("/compose?to=alice");
        await Expect(erin.Locator("#cost")).ToHaveTextAsync("Free: shared group (14 of 15 left this month)");
        await erin.GetByLabel("Subject").FillAsync("Fellow builder");
        await erin.GetByLabel("Message").FillAsync("Loved your post in the group.");
        await erin.GetByRole(AriaRole.Button, new() { Name = "Send", Exact = true }).ClickAsync();
        await Expect(erin.Locator(".flash")).ToContainTextAsync("Sent to Alice Archer: free");
        await erin.GotoAsync("/compose?to=alice");
        await Expect(erin.Locator("#cost")).ToHaveTextAsync("Free: shared group (13 of 15 left this month)");
    }

    [Fact]
    public async Task Refusals_show_their_plain_words_and_what_to_do_next_to_the_field()
    {
        await using var server = BrowserServer.Start();
        var alice = await server.RegisterAsync("alice", "Alice Archer");
        await server.RegisterAsync("bob", "Bob Baker");
        await server.RegisterAsync("erin", "Erin Evans");
        await server.CallAsync(alice, HttpMethod.Post, "/api/v1/members/me/subscription", new { plan = "premium-career" });
        for (var i = 0; i < 5; i++)
        {
            var to = $"target{i}";
            await server.RegisterAsync(to, $"Target {i}");
            await server.CallAsync(alice, HttpMethod.Post, "/api/v1/messages", new { to, subject = "Hi", body = "Hello" });
        }

        // A paid member with no credits left: the preview says so and offers a pack.
        var page = await chromium.NewPageAsync(server.Address);
        await page.SignInAsync("alice");
        await page.GotoAsync("/compose?to=bob");
        await Expect(page.Locator("#cost")).ToHaveTextAsync("You have no InMail credits left. Buy a pack, or wait for your next monthly grant.");
        await Expect(page.Locator(".preview").GetByRole(AriaRole.Link, new() { Name = "Buy a pack of credits" })).ToHaveAttributeAsync("href", "/credits#buy");
        await Screenshots.SaveAsync(page, "compose-no-credits");

        // The preview follows the text as it is typed (the script asks the same quote): an over-long subject is refused before sending.
        await page.GotoAsync("/compose?to=erin");
        await Expect(page.Locator("#cost")).ToHaveTextAsync("You have no InMail credits left. Buy a pack, or wait for your next monthly grant.");
        await page.GetByLabel("Subject").FillAsync(new string('x', 201));
        await Expect(page.Locator("#subject-count")).ToHaveTextAsync("201 / 200");
        await Expect(page.Locator("#cost")).ToHaveTextAsync("The subject is 201 characters; at most 200 are allowed.");

        // A free member writing to a stranger: the refusal, next to the form, with "connect instead".
        var erin = await chromium.NewPageAsync(server.Address);
        await erin.SignInAsync("erin");
        await erin.GotoAsync("/compose?to=bob");
        await erin.GetByLabel("Subject").FillAsync("Hi");
        await erin.GetByLabel("Message").FillAsync("Hello Bob");
        await erin.GetByRole(AriaRole.Button, new() { Name = "Send", Exact = true }).ClickAsync();
        var refusal = erin.Locator("#form-error");
        await Expect(refusal).ToContainTextAsync("that takes a paid InMail, which needs a paid plan");
        await Expect(refusal).ToContainTextAsync("inmail-requires-paid-plan");
        await Expect(refusal.GetByRole(AriaRole.Link, new() { Name = "Connect instead" })).ToHaveAttributeAsync("href", "/network?invite=bob");

        // A content refusal sits beside its own field.
        await erin.GotoAsync("/compose?to=alice");
        await erin.GetByLabel("Subject").FillAsync("Hello");
        await erin.GetByLabel("Message").FillAsync("   ");
        await erin.GetByRole(AriaRole.Button, new() { Name = "Send", Exact = true }).ClickAsync();
        await Expect(erin.Locator("#body-error")).ToContainTextAsync("body-required");
        await Expect(erin.Locator("#subject-error")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task Buying_a_pack_shows_its_price_and_adds_its_credits()
    {
        await using var server = BrowserServer.Start();
        var alice = await server.RegisterAsync("alice", "Alice Archer");
        await server.CallAsync(alice, HttpMethod.Post, "/api/v1/members/me/subscription", new { plan = "premium-career" });
        var page = await chromium.NewPageAsync(server.Address);
        await page.SignInAsync("alice");

        await page.GotoAsync("/credits");
        await Expect(page.GetByTestId("balance")).ToHaveTextAsync("5");
        // Nothing is chosen for the member, and buying asks first with the total price.
        await Expect(page.Locator("input[name=Pack]:checked")).ToHaveCountAsync(0);
        await page.GetByRole(AriaRole.Button, new() { Name = "Buy…" }).ClickAsync();
        await Expect(page.Locator("#pack-error")).ToContainTextAsync("Choose a pack size first.");
        await page.GetByLabel("25 credits — $250.00").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Buy…" }).ClickAsync();
        var confirm = page.GetByRole(AriaRole.Region, new() { Name = "Buy 25 credits for $250.00?" });
        await Expect(confirm).ToContainTextAsync("You pay $250.00 now: 25 credits at $10.00 each.");
        await Expect(confirm).ToContainTextAsync("last 12 months, until 2027-03-02");
        await Screenshots.SaveAsync(page, "credits-confirm-buy");
        await Expect(page.GetByTestId("balance")).ToHaveTextAsync("5"); // nothing bought before confirming
        await confirm.GetByRole(AriaRole.Button, new() { Name = "Confirm: pay $250.00" }).ClickAsync();

        await Expect(page.Locator(".flash")).ToHaveTextAsync("You bought a pack of 25 credits.");
        await Expect(page.GetByTestId("balance")).ToHaveTextAsync("30");
        await Expect(page.Locator(".ledger tbody tr").First).ToContainTextAsync("Bought a pack of 25; lasts until 2027-03-02");
        var lots = page.GetByRole(AriaRole.Region, new() { Name = "Your credits, in the order they are spent" });
        await Expect(lots.Locator("tbody tr").Nth(0)).ToContainTextAsync("Monthly allowance"); // expires first, so spent first
        await Expect(lots.Locator("tbody tr").Nth(1)).ToContainTextAsync("Bought pack");
    }

    [Fact]
    public async Task Changing_plan_warns_what_is_forfeited_and_what_stays_before_it_happens()
    {
        await using var server = BrowserServer.Start();
        var alice = await server.RegisterAsync("alice", "Alice Archer");
        await server.CallAsync(alice, HttpMethod.Post, "/api/v1/members/me/subscription", new { plan = "premium-business" });
        await server.CallAsync(alice, HttpMethod.Post, "/api/v1/members/me/purchases", new { pack = 10 });
        var page = await chromium.NewPageAsync(server.Address);
        await page.SignInAsync("alice");

        await page.GotoAsync("/plans");
        await Screenshots.SaveAsync(page, "plans");
        var career = page.GetByRole(AriaRole.Region, new() { Name = "Premium Career" });
        await career.GetByRole(AriaRole.Button, new() { Name = "Change to this plan…" }).ClickAsync();
        var confirm = page.GetByRole(AriaRole.Region, new() { Name = "Change to Premium Career: what happens to your credits" });
        await Expect(confirm).ToContainTextAsync("Forfeited now: the 15 credits left from Premium Business's monthly allowance. They do not carry over.");
        await Expect(confirm).ToContainTextAsync("Stays: 10 credits from packs, bonuses and refunds.");
        await Expect(confirm).ToContainTextAsync("5 credits of Premium Career arrive now");
        await Screenshots.SaveAsync(page, "plans-confirm-change");
        await page.GotoAsync("/credits");
        await Expect(page.GetByTestId("balance")).ToHaveTextAsync("25"); // nothing happened before confirming

        await page.GotoAsync("/plans?intent=change&plan=premium-career&billing=monthly");
        await page.GetByRole(AriaRole.Button, new() { Name = "Confirm: Change to Premium Career" }).ClickAsync();
        await Expect(page.Locator(".flash")).ToHaveTextAsync("Your plan changed.");
        await page.GotoAsync("/credits");
        await Expect(page.GetByTestId("balance")).ToHaveTextAsync("15");
        await Expect(page.Locator(".ledger")).ToContainTextAsync("Monthly allowance credits forfeited (changed from Premium Business to Premium Career)");
    }
}
