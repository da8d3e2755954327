using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace InMail.Browser.Tests;

/// <summary>SPEC §10 in the browser: Compose offers the recipient's best window in both clocks; the send waits on the Scheduled page, goes when the clock reaches it, or is cancelled.</summary>
public sealed class ScheduleTests(Chromium chromium)
{
    [Fact]
    public async Task A_recruiter_schedules_for_the_candidates_best_window_and_cancels_another()
    {
        await using var server = BrowserServer.Start();
        var ops = await server.OperatorAsync();
        var alice = await server.RegisterAsync("alice", "Alice Archer", "Recruiter", "Northwind");
        var bob = await server.RegisterAsync("bob", "Bob Baker", "Backend engineer", "Contoso");
        await server.RegisterAsync("dana", "Dana Diaz", "Designer", "Fabrikam");
        await server.CallAsync(alice, HttpMethod.Post, "/api/v1/members/me/subscription", new { plan = "premium-business" });
        // Bob lives in New York; the epoch is Monday 2 March 2026 09:00 UTC (04:00 there): his best window opens Tuesday 07:00 EST = 12:00 UTC.
        await server.CallAsync(bob, HttpMethod.Put, "/api/v1/members/me/profile", new { name = "Bob Baker", headline = "Backend engineer", company = "Contoso", timeZone = "America/New_York" });
        var page = await chromium.NewPageAsync(server.Address);
        await page.SignInAsync("alice");

        await page.GotoAsync("/compose?to=bob");
        await Expect(page.GetByTestId("best-window")).ToHaveTextAsync("(Tuesday 07:00 (America/New_York), their time)");
        await page.GetByLabel("Subject").FillAsync("Backend role");
        await page.GetByLabel("Message").FillAsync("Bob, your Contoso work on queues stood out. Open to a call?");
        await page.GetByLabel("In their best window").CheckAsync();
        await Screenshots.SaveAsync(page, "compose-schedule");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send", Exact = true }).ClickAsync();
        await page.WaitForURLAsync("**/schedules", new() { WaitUntil = WaitUntilState.Commit });
        var waiting = page.GetByRole(AriaRole.List, new() { Name = "Waiting" });
        await Expect(waiting).ToContainTextAsync("To Bob Baker: Backend role");
        await Expect(waiting).ToContainTextAsync("Tuesday 07:00 (America/New_York), their time; their best window");

        // Another, at an instant in Alice's own time (UTC), then cancelled.
        await page.GotoAsync("/compose?to=dana");
        await page.GetByLabel("Subject").FillAsync("Design role");
        await page.GetByLabel("Message").FillAsync("Dana, your Fabrikam portfolio is great. Open to a chat?");
        await page.GetByLabel("At", new() { Exact = true }).CheckAsync();
        await page.GetByLabel("Send at (your time, UTC)").FillAsync("2026-03-04T10:30");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send", Exact = true }).ClickAsync();
        await page.WaitForURLAsync("**/schedules", new() { WaitUntil = WaitUntilState.Commit });
        await Expect(page.GetByRole(AriaRole.List, new() { Name = "Waiting" }).GetByRole(AriaRole.Listitem)).ToHaveCountAsync(2);
        page.Dialog += (_, dialog) => dialog.AcceptAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Cancel send to Dana Diaz" }).ClickAsync();
        await Expect(page.Locator(".flash")).ToHaveTextAsync("Scheduled send cancelled; nothing was sent.");
        await Expect(page.GetByRole(AriaRole.List, new() { Name = "Done" })).ToContainTextAsync("Cancelled");

        // Nothing goes a second early; at the window it is an InMail like any other.
        await server.CallAsync(ops, HttpMethod.Put, "/api/v1/operator/clock", new { at = "2026-03-03T11:59:59Z" });
        await page.ReloadAsync();
        await Expect(page.GetByRole(AriaRole.List, new() { Name = "Waiting" })).ToContainTextAsync("To Bob Baker");
        await server.CallAsync(ops, HttpMethod.Put, "/api/v1/operator/clock", new { at = "2026-03-03T12:00:00Z" });
        await page.ReloadAsync();
        await Expect(page.GetByText("Nothing waiting.")).ToBeVisibleAsync();
        await Expect(page.Locator("[data-status='sent']")).ToContainTextAsync("To Bob Baker: Backend role");
        await Screenshots.SaveAsync(page, "schedules");
        var phone = await chromium.NewPageAsync(server.Address, phone: true);
        await phone.SignInAsync("alice");
        await phone.GotoAsync("/schedules");
        await Expect(phone.Locator("[data-status='sent']")).ToContainTextAsync("To Bob Baker: Backend role");
        await Screenshots.SaveAsync(phone, "schedules-phone");
        await phone.GotoAsync("/compose?to=dana");
        await Expect(phone.GetByTestId("best-window")).ToBeVisibleAsync();
        await Screenshots.SaveAsync(phone, "compose-schedule-phone");
        await page.GotoAsync("/credits");
        await Expect(page.GetByTestId("balance")).ToHaveTextAsync("14");

        // A follow-up to Bob, who has not answered, is another InMail: the coach reads it in the reply box too.
        await page.GotoAsync("/inbox/bob");
        await page.Locator("#subject").FillAsync("Following up");
        await page.Locator("#body").FillAsync("We are still hiring.");
        await Expect(page.Locator(".coach [data-code='no-ask']")).ToBeVisibleAsync();
        await page.Locator("#body").FillAsync("Bob, is your Contoso team hiring too, or open to a chat?");
        await Expect(page.Locator(".coach .findings")).ToHaveTextAsync("Nothing to change: short, personal, one clear ask.");
    }
}
