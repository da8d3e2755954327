using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace InMail.Browser.Tests;

/// <summary>
/// SPEC §11 in the browser: the bell counts what fell due while nobody looked, the notifications page says
/// what each is and leads to it, "Mark all read" clears the count, and the tab's title follows the unread
/// counts without a reload, asking only while the tab is visible.
/// </summary>
public sealed class NotificationTests(Chromium chromium)
{
    [Fact]
    public async Task The_bell_counts_a_refused_schedule_the_title_follows_without_a_reload_and_mark_all_read_clears_it()
    {
        await using var server = BrowserServer.Start();
        var ops = await server.OperatorAsync();
        var alice = await server.RegisterAsync("alice", "Alice Archer", "Recruiter", "Northwind");
        var bob = await server.RegisterAsync("bob", "Bob Baker");
        var carol = await server.RegisterAsync("carol", "Carol Chen");
        await server.RegisterAsync("dana", "Dana Diaz");
        await server.CallAsync(ops, HttpMethod.Post, "/api/v1/operator/connections", new { a = "alice", b = "carol" });
        // Subscribing grants credits (the first notification); an InMail to Dana goes unanswered; a send scheduled for Bob will meet his block.
        await server.CallAsync(alice, HttpMethod.Post, "/api/v1/members/me/subscription", new { plan = "premium-business" });
        await server.CallAsync(alice, HttpMethod.Post, "/api/v1/messages", new { to = "dana", subject = "A design role", body = "Dana, open to a chat?" });
        await server.CallAsync(alice, HttpMethod.Post, "/api/v1/schedules", new { id = "bob-intro", to = "bob", subject = "A backend role", body = "Bob, open to a chat?", sendAt = "2026-03-02T11:00:00Z" });
        await server.CallAsync(bob, HttpMethod.Put, "/api/v1/members/me/blocks/alice");

        var page = await chromium.NewPageAsync(server.Address);
        await page.Clock.InstallAsync(); // the page's timers run when the test says: the 30-second poll without waiting 30 seconds
        var asked = 0;
        page.Request += (_, request) => asked += request.Url.EndsWith("/api/v1/members/me/counts", StringComparison.Ordinal) ? 1 : 0;
        await page.SignInAsync("alice");
        var bell = page.Locator("a.bell");
        await Expect(bell).ToHaveAttributeAsync("aria-label", "Notifications (1 unread)");
        await Expect(bell.Locator(".badge")).ToHaveTextAsync("1");
        await Expect(page).ToHaveTitleAsync("(1) Inbox · InMail");
        await page.EvaluateAsync("() => window.loadedOnce = true");

        // The clock reaches the scheduled send, which Bob's block refuses; Carol writes. The next poll shows both, on the same page.
        await server.CallAsync(ops, HttpMethod.Put, "/api/v1/operator/clock", new { at = "2026-03-02T11:00:00Z" });
        await server.CallAsync(carol, HttpMethod.Post, "/api/v1/messages", new { to = "alice", body = "Alice, are you hiring?" });
        await Expect(page).ToHaveTitleAsync("(1) Inbox · InMail");
        await page.Clock.RunForAsync(31_000);
        await Expect(page).ToHaveTitleAsync("(3) Inbox · InMail");
        await Expect(bell).ToHaveAttributeAsync("aria-label", "Notifications (2 unread)");
        await Expect(bell.Locator(".badge")).ToHaveTextAsync("2");
        await Expect(page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Inbox" })).ToHaveTextAsync("Inbox (1 unread)");
        Assert.True(await page.EvaluateAsync<bool>("() => window.loadedOnce === true"), "the page was reloaded");

        // Hidden, the tab asks nothing however long it waits; shown again, it asks at once.
        var before = asked;
        await page.EvaluateAsync("""
            () => {
                Object.defineProperty(document, "visibilityState", { configurable: true, get: () => "hidden" });
                document.dispatchEvent(new Event("visibilitychange"));
            }
            """);
        await page.Clock.RunForAsync(300_000);
        Assert.Equal(before, asked);
        await page.EvaluateAsync("""
            () => {
                Object.defineProperty(document, "visibilityState", { configurable: true, get: () => "visible" });
                document.dispatchEvent(new Event("visibilitychange"));
            }
            """);
        for (var waited = 0; asked == before && waited < 100; waited++)
        {
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }
        Assert.True(asked > before, "shown again, the tab did not ask for the counts");

        // The notifications, newest first, each in words, in the member's time, with a link to what it is about.
        await bell.ClickAsync();
        await page.WaitForURLAsync("**/notifications", new() { WaitUntil = WaitUntilState.Commit });
        var list = page.GetByRole(AriaRole.List, new() { Name = "Notifications" });
        await Expect(list.Locator("li strong")).ToHaveTextAsync(["Scheduled send not sent", "Credits granted"]);
        await Expect(list.Locator("li.unread")).ToHaveCountAsync(2);
        var refused = list.Locator("li[data-kind='schedule-refused']");
        await Expect(refused).ToContainTextAsync("just now");
        await Expect(list.Locator("li[data-kind='credits-granted']")).ToContainTextAsync("2 hours ago");
        await Expect(list.Locator("li[data-kind='credits-granted']").GetByRole(AriaRole.Link, new() { Name = "See your credits" })).ToHaveAttributeAsync("href", "/credits");
        await Expect(page.GetByTestId("unread-notifications")).ToHaveTextAsync("2 unread");
        await Screenshots.SaveAsync(page, "notifications");

        await page.GetByRole(AriaRole.Button, new() { Name = "Mark all read" }).ClickAsync();
        await Expect(page.Locator(".flash")).ToHaveTextAsync("Notifications marked read.");
        await Expect(page.GetByTestId("unread-notifications")).ToHaveTextAsync("0 unread");
        await Expect(list.Locator("li.unread")).ToHaveCountAsync(0);
        await Expect(bell).ToHaveAttributeAsync("aria-label", "Notifications");
        await Expect(bell.Locator(".badge")).ToBeHiddenAsync();
        await Expect(page).ToHaveTitleAsync("(1) Notifications · InMail"); // Carol's message is still unread
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Mark all read" })).ToHaveCountAsync(0);
        await refused.GetByRole(AriaRole.Link, new() { Name = "See your scheduled sends" }).ClickAsync();
        await Expect(page.Locator("[data-status='refused']")).ToContainTextAsync("To Bob Baker: A backend role");

        // A week before Dana's refund deadline (90 days), its notification leads to the conversation.
        await server.CallAsync(ops, HttpMethod.Put, "/api/v1/operator/clock", new { at = "2026-05-24T09:00:00Z" });
        await page.GotoAsync("/notifications");
        var closing = list.Locator("li[data-kind='refund-window-closing']");
        await Expect(closing).ToContainTextAsync("Refund window closing");
        await Expect(closing).ToContainTextAsync("Your InMail to Dana Diaz has had no response");
        await Expect(closing.Locator(".badge")).ToHaveTextAsync("New");
        await Screenshots.SaveAsync(page, "notifications-later");
        var phone = await chromium.NewPageAsync(server.Address, phone: true);
        await phone.SignInAsync("alice");
        await phone.GotoAsync("/notifications");
        await PagesTests.CheckAsync(phone, phone: true);
        await Screenshots.SaveAsync(phone, "notifications-phone");
        await closing.GetByRole(AriaRole.Link, new() { Name = "Open the conversation with Dana Diaz" }).ClickAsync();
        await page.WaitForURLAsync("**/inbox/dana", new() { WaitUntil = WaitUntilState.Commit });

        // Signed out, the page asks for no counts.
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await page.GotoAsync("/sign-in");
        Assert.False(await page.EvaluateAsync<bool>("() => 'inmailCounts' in window"));
    }
}
