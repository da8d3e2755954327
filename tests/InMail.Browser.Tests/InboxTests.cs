using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace InMail.Browser.Tests;

/// <summary>The inbox and the network in a real browser: limits, the archive, spam reports and invitations.</summary>
public sealed class InboxTests(Chromium chromium)
{
    [Fact]
    public async Task The_daily_limit_refusal_says_when_the_next_InMail_can_go_and_spends_nothing()
    {
        await using var server = BrowserServer.Start();
        var alice = await server.RegisterAsync("alice", "Alice Archer");
        await server.RegisterAsync("bob", "Bob Baker");
        await server.CallAsync(alice, HttpMethod.Post, "/api/v1/members/me/subscription", new { plan = "premium-business" });
        await server.CallAsync(alice, HttpMethod.Post, "/api/v1/members/me/purchases", new { pack = 10 });
        for (var i = 0; i < 20; i++)
        {
            var to = $"target{i}";
            await server.RegisterAsync(to, $"Target {i}");
            await server.CallAsync(alice, HttpMethod.Post, "/api/v1/messages", new { to, subject = "Hi", body = "Hello" });
            server.Clock.Advance(TimeSpan.FromMinutes(10));
        }

        var page = await chromium.NewPageAsync(server.Address);
        await page.SignInAsync("alice");
        await page.GotoAsync("/compose?to=bob");
        // 20 InMails in 24 hours on Premium Business; the first went at 09:00, so the next may go at 09:00 the next day.
        const string Refused = "Premium Business allows 20 InMails in 24 hours; the next can go at 2026-03-03T09:00:00Z.";
        await Expect(page.Locator("#cost")).ToHaveTextAsync(Refused);
        await page.GetByLabel("Subject").FillAsync("A role");
        await page.GetByLabel("Message").FillAsync("Interested?");
        await Expect(page.Locator("#cost")).ToHaveTextAsync(Refused);
        await Screenshots.SaveAsync(page, "compose-daily-limit");

        // Sending anyway is refused by the server with the API's code, and nothing is spent.
        await page.GetByRole(AriaRole.Button, new() { Name = "Send", Exact = true }).ClickAsync();
        await Expect(page.Locator("#form-error")).ToContainTextAsync(Refused);
        await Expect(page.Locator("#form-error")).ToContainTextAsync("daily-limit-reached");
        await page.GotoAsync("/credits");
        await Expect(page.GetByTestId("balance")).ToHaveTextAsync("5");

        // A day after the first one, the window has room again.
        server.Clock.Advance(TimeSpan.FromHours(24) - TimeSpan.FromMinutes(200));
        await page.GotoAsync("/compose?to=bob");
        await Expect(page.Locator("#cost")).ToHaveTextAsync("1 InMail credit (4 left)");
    }

    [Fact]
    public async Task Archiving_moves_a_conversation_out_of_the_inbox_until_it_is_moved_back_or_a_new_message_comes()
    {
        await using var server = BrowserServer.Start();
        var ops = await server.OperatorAsync();
        var alice = await server.RegisterAsync("alice", "Alice Archer");
        await server.RegisterAsync("bob", "Bob Baker");
        await server.CallAsync(ops, HttpMethod.Post, "/api/v1/operator/connections", new { a = "alice", b = "bob" });
        await server.CallAsync(alice, HttpMethod.Post, "/api/v1/messages", new { to = "bob", body = "Coffee next week?" });

        var page = await chromium.NewPageAsync(server.Address);
        await page.SignInAsync("bob");
        var conversations = page.GetByRole(AriaRole.List, new() { Name = "Conversations" });
        await conversations.GetByRole(AriaRole.Link, new() { Name = "Alice Archer" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Archive" }).ClickAsync();
        await Expect(page.Locator(".flash")).ToHaveTextAsync("Moved to the archive.");
        await Expect(page.Locator("main")).ToContainTextAsync("This conversation is archived");

        await page.GotoAsync("/inbox");
        await Expect(page.Locator(".empty")).ToHaveTextAsync("No conversations here.");
        await page.GetByRole(AriaRole.Navigation, new() { Name = "Inbox filters" }).GetByRole(AriaRole.Link, new() { Name = "Archive" }).ClickAsync();
        await Expect(conversations).ToContainTextAsync("Alice Archer");
        await Screenshots.SaveAsync(page, "inbox-archive");

        await conversations.GetByRole(AriaRole.Link, new() { Name = "Alice Archer" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Move back to the inbox" }).ClickAsync();
        await Expect(page.Locator(".flash")).ToHaveTextAsync("Moved back to the inbox.");
        await page.GotoAsync("/inbox");
        await Expect(conversations).ToContainTextAsync("Alice Archer");

        // Archived again, a new message brings it back.
        await page.GotoAsync("/inbox/alice");
        await page.GetByRole(AriaRole.Button, new() { Name = "Archive" }).ClickAsync();
        await Expect(page.Locator(".flash")).ToHaveTextAsync("Moved to the archive.");
        await server.CallAsync(alice, HttpMethod.Post, "/api/v1/messages", new { to = "bob", body = "Or the week after?" });
        await page.GotoAsync("/inbox");
        await Expect(conversations).ToContainTextAsync("Or the week after?");
        await Expect(conversations).ToContainTextAsync("1 new message");
    }

    [Fact]
    public async Task Reporting_an_InMail_as_spam_asks_first_and_gives_the_sender_nothing_back()
    {
        await using var server = BrowserServer.Start();
        var alice = await server.RegisterAsync("alice", "Alice Archer");
        await server.RegisterAsync("bob", "Bob Baker");
        await server.CallAsync(alice, HttpMethod.Post, "/api/v1/members/me/subscription", new { plan = "premium-business" });
        await server.CallAsync(alice, HttpMethod.Post, "/api/v1/messages", new { to = "bob", subject = "Crypto!", body = "Buy now" });

        var page = await chromium.NewPageAsync(server.Address);
        await page.SignInAsync("bob");
        await page.GotoAsync("/inbox/alice");
        var report = page.GetByRole(AriaRole.Button, new() { Name = "Report as spam" });

        // Saying no to the question sends nothing.
        string? asked = null;
        void No(object? sender, IDialog dialog)
        {
            asked = dialog.Message;
            _ = dialog.DismissAsync();
        }
        page.Dialog += No;
        await report.ClickAsync();
        await Expect(report).ToBeVisibleAsync();
        Assert.Contains("does not count as a response", asked, StringComparison.Ordinal);
        await Expect(page.Locator(".flash")).ToHaveCountAsync(0);
        page.Dialog -= No;

        page.Dialog += (_, dialog) => _ = dialog.AcceptAsync();
        await report.ClickAsync();
        await Expect(page.Locator(".flash")).ToHaveTextAsync("Reported as spam. Thank you.");
        await Expect(page.Locator("main")).ToContainTextAsync("You reported this as spam.");
        await Expect(report).ToHaveCountAsync(0);

        // The recipient also blocks the sender from the conversation (the dialog is still accepted).
        await page.GetByRole(AriaRole.Button, new() { Name = "Block Alice Archer" }).ClickAsync();
        await Expect(page.Locator(".flash")).ToHaveTextAsync("Blocked. They cannot message or invite you.");
        await Expect(page.Locator("main")).ToContainTextAsync("You blocked Alice Archer");
        await page.GotoAsync("/network");
        await Expect(page.GetByRole(AriaRole.Region, new() { Name = "Blocked members" })).ToContainTextAsync("Alice Archer");

        var sender = await chromium.NewPageAsync(server.Address);
        await sender.SignInAsync("alice");
        await sender.GotoAsync("/credits");
        await Expect(sender.GetByTestId("balance")).ToHaveTextAsync("14"); // a spam report is not a response
        await Expect(sender.Locator(".ledger tbody tr").First).ToContainTextAsync("InMail to Bob Baker");
        await sender.GotoAsync("/compose?to=bob");
        await Expect(sender.Locator(".preview")).ToHaveClassAsync("preview refused");
        await Expect(sender.Locator(".preview")).ToContainTextAsync("blocked");
    }

    [Fact]
    public async Task Accepting_an_invitation_connects_and_makes_messages_free_and_ignoring_one_removes_it()
    {
        await using var server = BrowserServer.Start();
        var carol = await server.RegisterAsync("carol", "Carol Chen");
        var dana = await server.RegisterAsync("dana", "Dana Diaz");
        await server.RegisterAsync("erin", "Erin Evans");
        await server.CallAsync(carol, HttpMethod.Post, "/api/v1/members/me/invitations", new { to = "erin", note = "Great talk yesterday" });
        await server.CallAsync(dana, HttpMethod.Post, "/api/v1/members/me/invitations", new { to = "erin" });

        var page = await chromium.NewPageAsync(server.Address);
        await page.SignInAsync("erin");
        await page.GetByRole(AriaRole.Link, new() { Name = "Network" }).ClickAsync();
        var received = page.GetByRole(AriaRole.Region, new() { Name = "Invitations received" });
        await Expect(received.GetByRole(AriaRole.Listitem)).ToHaveCountAsync(2);
        await Expect(received).ToContainTextAsync("Great talk yesterday");
        await Screenshots.SaveAsync(page, "network-invitations");

        await received.GetByRole(AriaRole.Button, new() { Name = "Accept Carol Chen" }).ClickAsync();
        await Expect(page.Locator(".flash")).ToHaveTextAsync("You are now connected.");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Connections (1)" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Region, new() { Name = "Connections (1)" })).ToContainTextAsync("Carol Chen");

        await received.GetByRole(AriaRole.Button, new() { Name = "Ignore Dana Diaz" }).ClickAsync();
        await Expect(page.Locator(".flash")).ToHaveTextAsync("Invitation ignored.");
        await Expect(received).ToContainTextAsync("None waiting.");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Connections (1)" })).ToBeVisibleAsync();

        // A free member writes to the new connection for free.
        await page.GetByRole(AriaRole.Link, new() { Name = "Message Carol Chen" }).ClickAsync();
        await Expect(page.Locator("#cost")).ToHaveTextAsync("Free: 1st-degree connection");
    }
}
