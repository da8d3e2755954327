using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace InMail.Browser.Tests;

/// <summary>SPEC §9 in the pages: the sender marks outcomes on a conversation and reads the measures on Results.</summary>
public sealed class ResultsTests(Chromium chromium)
{
    [Fact]
    public async Task A_sender_marks_a_booked_meeting_and_reads_reply_rate_time_to_first_reply_and_cost_per_reply()
    {
        await using var server = BrowserServer.Start();
        var alice = await server.RegisterAsync("alice", "Alice Archer");
        await server.CallAsync(alice, HttpMethod.Post, "/api/v1/members/me/subscription", new { plan = "premium-career" }); // $29.99 for 5 credits
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
        server.Clock.Advance(TimeSpan.FromHours(4));
        await server.CallAsync(tokens["carol"], HttpMethod.Post, $"/api/v1/messages/{ids["carol"]}/responses", new { kind = "accept" });
        await server.CallAsync(tokens["dana"], HttpMethod.Post, "/api/v1/conversations/alice/read");

        var page = await chromium.NewPageAsync(server.Address);
        await page.SignInAsync("alice");
        await page.GotoAsync("/inbox/bob");
        await page.GetByLabel("Outcome (only you see it; it counts on your Results page)").SelectOptionAsync("meeting-booked");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save outcome" }).ClickAsync();
        await Expect(page.Locator(".flash")).ToHaveTextAsync("Marked: meeting booked.");
        await Expect(page.GetByLabel("Outcome (only you see it; it counts on your Results page)")).ToHaveValueAsync("meeting-booked");

        // The recipient does not see the mark.
        var bob = await chromium.NewPageAsync(server.Address);
        await bob.SignInAsync("bob");
        await bob.GotoAsync("/inbox/alice");
        await Expect(bob.GetByRole(AriaRole.Button, new() { Name = "Save outcome" })).ToHaveCountAsync(0);
        await Expect(bob.Locator("main")).Not.ToContainTextAsync("Meeting booked");

        await page.GetByRole(AriaRole.Link, new() { Name = "Results" }).ClickAsync();
        var summary = page.GetByTestId("summary");
        await Expect(summary).ToContainTextAsync("Delivered4");
        await Expect(summary).ToContainTextAsync("Opened3 (75%)"); // bob and carol by responding, dana by reading
        await Expect(summary).ToContainTextAsync("Reply rate50% (2 replied)");
        await Expect(summary).ToContainTextAsync("Positive rate50%"); // carol accepted, bob marked
        await Expect(summary).ToContainTextAsync("Meeting rate25%");
        await Expect(summary).ToContainTextAsync("Time to first replymedian 4 h 0 min, 90% within 6 h 0 min");
        await Expect(summary).ToContainTextAsync("Credits4 spent, 2 came back, 2 net");
        await Expect(summary).ToContainTextAsync("Cost per reply$6.00 (at $6.00 a credit: Premium Career's $29.99 a month for 5 credits)");
        var split = page.GetByRole(AriaRole.Region, new() { Name = "What works" });
        await Expect(split.GetByRole(AriaRole.Row, new() { Name = "Paid InMail" })).ToContainTextAsync("450%");
        await Screenshots.SaveAsync(page, "results");

        // A period with nothing in it says so.
        server.Clock.Advance(TimeSpan.FromDays(40));
        await page.SignInAsync("alice"); // the test's clock is the real time here, and a session lasts 14 days
        await page.GotoAsync("/results");
        await page.GetByRole(AriaRole.Link, new() { Name = "Last 30 days" }).ClickAsync();
        await Expect(page.Locator(".empty")).ToHaveTextAsync("You sent no InMail in this period. Results appear here once you do.");
    }
}
