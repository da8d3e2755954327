using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace InMail.Browser.Tests;

/// <summary>
/// SPEC §11 in the browser: snoozing from the inbox list and the Snoozed tab, a reminder set on a conversation,
/// both brought due by moving the clock; the inbox's keyboard shortcuts; and the CSV download links.
/// </summary>
public sealed class SnoozeTests(Chromium chromium)
{
    private static async Task<(BrowserServer Server, string Ops)> ThreeConversationsAsync()
    {
        var server = BrowserServer.Start();
        var ops = await server.OperatorAsync();
        await server.RegisterAsync("alice", "Alice Archer", "Recruiter", "Northwind");
        foreach (var (id, name) in new[] { ("bob", "Bob Baker"), ("cher", "Cher Castillo"), ("dana", "Dana Diaz") })
        {
            var other = await server.RegisterAsync(id, name);
            await server.CallAsync(ops, HttpMethod.Post, "/api/v1/operator/connections", new { a = "alice", b = id });
            await server.CallAsync(other, HttpMethod.Post, "/api/v1/messages", new { to = "alice", body = $"Hello Alice, {name} here." });
            server.Clock.Advance(TimeSpan.FromMinutes(5));
        }
        return (server, ops);
    }

    [Fact]
    public async Task A_conversation_snoozed_until_tomorrow_morning_waits_under_Snoozed_and_comes_back_on_top_marked_unread()
    {
        var (server, ops) = await ThreeConversationsAsync();
        await using var _ = server;
        foreach (var phone in new[] { false, true })
        {
            var page = await chromium.NewPageAsync(server.Address, phone);
            await page.SignInAsync("alice");
            await page.GotoAsync("/inbox");
            var conversations = page.GetByRole(AriaRole.List, new() { Name = "Conversations" });
            await Expect(conversations.Locator("li[data-with='bob']")).ToBeVisibleAsync();
            await Screenshots.SaveAsync(page, phone ? "inbox-row-actions-phone" : "inbox-row-actions");
            if (!phone)
            {
                continue;
            }
            // The snooze menu at phone width: it must fit.
            await conversations.Locator("li[data-with='cher'] details.wake-menu summary").ClickAsync();
            await Screenshots.SaveAsync(page, "inbox-snooze-menu-phone");
        }

        var alice = await chromium.NewPageAsync(server.Address);
        await alice.SignInAsync("alice");
        var list = alice.GetByRole(AriaRole.List, new() { Name = "Conversations" });
        // Bob's conversation is read first, so coming back marked unread is the snooze's doing.
        await list.GetByRole(AriaRole.Link, new() { Name = "Bob Baker" }).ClickAsync();
        await alice.GotoAsync("/inbox");
        var bob = list.Locator("li[data-with='bob']");
        await Expect(bob).Not.ToHaveClassAsync("unread");
        await bob.Locator("details.wake-menu summary").ClickAsync();
        var tomorrow = bob.GetByRole(AriaRole.Button, new() { Name = "Tomorrow morning" });
        await Expect(tomorrow).ToHaveTextAsync("Tomorrow morning Tue 3 Mar, 08:00"); // UTC: Alice has no time zone
        await Screenshots.SaveAsync(alice, "inbox-snooze-menu");
        await tomorrow.ClickAsync();
        await Expect(alice.Locator(".flash")).ToHaveTextAsync("Snoozed your conversation with Bob Baker until 2026-03-03 08:00 UTC.");
        await Expect(list.Locator("li")).ToHaveCountAsync(2);
        await Expect(list).Not.ToContainTextAsync("Bob Baker");

        var filters = alice.GetByRole(AriaRole.Navigation, new() { Name = "Inbox filters" });
        await filters.GetByRole(AriaRole.Link, new() { Name = "Snoozed" }).ClickAsync();
        await Expect(list.Locator("li")).ToHaveCountAsync(1);
        await Expect(list.Locator("li[data-with='bob'] [data-testid='wakes']")).ToHaveTextAsync("Snoozed until 2026-03-03 08:00 UTC");
        await Screenshots.SaveAsync(alice, "inbox-snoozed");

        // The conversation says so too.
        await list.GetByRole(AriaRole.Link, new() { Name = "Bob Baker" }).ClickAsync();
        await Expect(alice.GetByTestId("snoozed")).ToHaveTextAsync("Snoozed until 2026-03-03 08:00 UTC");
        await Expect(alice.GetByRole(AriaRole.Button, new() { Name = "Unsnooze" })).ToBeVisibleAsync();

        // The clock passes 08:00: back on top of the inbox, marked unread, and nothing left under Snoozed.
        await server.CallAsync(ops, HttpMethod.Put, "/api/v1/operator/clock", new { at = "2026-03-03T08:30:00Z" });
        await alice.GotoAsync("/inbox");
        await Expect(list.Locator("li").First).ToHaveAttributeAsync("data-with", "bob");
        await Expect(list.Locator("li").First).ToHaveClassAsync("unread");
        await Expect(list.Locator("li").First).ToContainTextAsync("Marked unread");
        await Expect(alice.GetByTestId("unread")).ToHaveTextAsync("3 unread conversations");
        await filters.GetByRole(AriaRole.Link, new() { Name = "Snoozed" }).ClickAsync();
        await Expect(alice.Locator("p.empty")).ToContainTextAsync("No conversations here");
    }

    [Fact]
    public async Task A_reminder_set_on_a_conversation_rings_the_bell_and_brings_it_on_top_when_no_reply_came()
    {
        var (server, ops) = await ThreeConversationsAsync();
        await using var _ = server;
        var page = await chromium.NewPageAsync(server.Address);
        await page.SignInAsync("alice");
        await page.GotoAsync("/inbox/bob");
        var later = page.GetByRole(AriaRole.Region, new() { Name = "Snooze and reminders" });
        await later.Locator("summary", new() { HasText = "Remind me" }).ClickAsync();
        var menu = later.Locator("details[open]");
        await Expect(menu.GetByLabel("Only if they have not replied")).ToBeCheckedAsync();
        await menu.GetByLabel("Or pick a date and time").FillAsync("2026-03-04T10:00");
        await Screenshots.SaveAsync(page, "conversation-reminder-menu");
        await menu.GetByRole(AriaRole.Button, new() { Name = "Remind me then" }).ClickAsync();
        await Expect(page.Locator(".flash")).ToHaveTextAsync("Reminder set for 2026-03-04 10:00 UTC, if they have not replied by then.");
        await Expect(page.GetByTestId("reminder")).ToHaveTextAsync("Reminder 2026-03-04 10:00 UTC, if Bob Baker has not replied by then");
        await Screenshots.SaveAsync(page, "conversation-reminder");

        // A reminder in the past is the engine's to refuse, beside the menu.
        await later.Locator("summary", new() { HasText = "Remind me" }).ClickAsync();
        await menu.GetByLabel("Or pick a date and time").FillAsync("2026-03-01T10:00");
        await menu.GetByRole(AriaRole.Button, new() { Name = "Remind me then" }).ClickAsync();
        await Expect(page.Locator("#remind-error")).ToContainTextAsync("invalid-input");

        // The clock passes it: the bell counts it, and Bob's conversation is on top of the inbox.
        await server.CallAsync(ops, HttpMethod.Put, "/api/v1/operator/clock", new { at = "2026-03-04T10:05:00Z" });
        await page.GotoAsync("/inbox");
        await Expect(page.Locator("a.bell")).ToHaveAttributeAsync("aria-label", "Notifications (1 unread)");
        var list = page.GetByRole(AriaRole.List, new() { Name = "Conversations" });
        await Expect(list.Locator("li").First).ToHaveAttributeAsync("data-with", "bob");
        await page.Locator("a.bell").ClickAsync();
        await Expect(page.Locator("main")).ToContainTextAsync("Reminder: your conversation with Bob Baker");

        // Set again and cancelled: nothing pending.
        await page.GotoAsync("/inbox/bob");
        await later.Locator("summary", new() { HasText = "Remind me" }).ClickAsync();
        await menu.GetByRole(AriaRole.Button, new() { Name = "Tomorrow morning" }).ClickAsync();
        await Expect(page.GetByTestId("reminder")).ToContainTextAsync("2026-03-05 08:00 UTC");
        await page.GetByRole(AriaRole.Button, new() { Name = "Cancel reminder" }).ClickAsync();
        await Expect(page.Locator(".flash")).ToHaveTextAsync("Reminder cancelled.");
        await Expect(page.GetByTestId("reminder")).ToHaveCountAsync(0);

        // At phone width the menus fit the screen.
        var phone = await chromium.NewPageAsync(server.Address, phone: true);
        await phone.SignInAsync("alice");
        await phone.GotoAsync("/inbox/cher");
        await phone.GetByRole(AriaRole.Region, new() { Name = "Snooze and reminders" }).Locator("summary", new() { HasText = "Snooze" }).ClickAsync();
        await Screenshots.SaveAsync(phone, "conversation-snooze-menu-phone");
        Assert.True(await phone.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"), "the page is wider than the phone");
    }

    [Fact]
    public async Task The_inbox_answers_its_keyboard_shortcuts_but_not_while_typing_in_the_search_box()
    {
        var (server, _) = await ThreeConversationsAsync();
        await using var __ = server;
        var page = await chromium.NewPageAsync(server.Address);
        await page.SignInAsync("alice");
        await page.GotoAsync("/inbox");
        var list = page.GetByRole(AriaRole.List, new() { Name = "Conversations" });
        var rows = list.Locator("li");
        await Expect(rows).ToHaveCountAsync(3);

        // j, j, k: the second row (Cher) selected, its link focused.
        await page.Keyboard.PressAsync("j");
        await page.Keyboard.PressAsync("j");
        await page.Keyboard.PressAsync("j");
        await page.Keyboard.PressAsync("k");
        await Expect(rows.Nth(1)).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("selected"));
        await Expect(rows.Nth(1).GetByRole(AriaRole.Link, new() { Name = "Cher Castillo" })).ToBeFocusedAsync();
        await Screenshots.SaveAsync(page, "inbox-keyboard-selection");

        // e archives the selected one.
        await page.Keyboard.PressAsync("e");
        await Expect(page.Locator(".flash")).ToHaveTextAsync("Moved your conversation with Cher Castillo to the archive.");
        await Expect(rows).ToHaveCountAsync(2);

        // ? shows the list; Escape closes it.
        await page.Keyboard.PressAsync("?");
        var help = page.GetByRole(AriaRole.Dialog, new() { Name = "Keyboard shortcuts" });
        await Expect(help).ToBeVisibleAsync();
        await Expect(help).ToContainTextAsync("Snooze the selected conversation");
        await Screenshots.SaveAsync(page, "inbox-shortcuts");
        await page.Keyboard.PressAsync("Escape");
        await Expect(help).ToBeHiddenAsync();

        // / focuses the search box, where the letters are only text.
        await page.Keyboard.PressAsync("/");
        var search = page.GetByLabel("Search by name or text");
        await Expect(search).ToBeFocusedAsync();
        await page.Keyboard.TypeAsync("jke?");
        await Expect(search).ToHaveValueAsync("jke?");
        await Expect(help).ToBeHiddenAsync();
        await Expect(rows).ToHaveCountAsync(2);
        await search.FillAsync("");

        // h opens the selected row's snooze menu, l its labels; Enter on the row opens it.
        await page.Keyboard.PressAsync("Escape");
        await page.Locator("h1").ClickAsync();
        await page.Keyboard.PressAsync("j");
        await page.Keyboard.PressAsync("h");
        await Expect(rows.First.Locator("details.wake-menu")).ToHaveAttributeAsync("open", "");
        await page.Keyboard.PressAsync("Escape");
        await Expect(rows.First.Locator("details.wake-menu")).Not.ToHaveAttributeAsync("open", "");
        await page.Keyboard.PressAsync("l");
        await Expect(rows.First.GetByLabel("New label")).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Escape");
        await page.Keyboard.PressAsync("j");
        await page.Keyboard.PressAsync("k");
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Dana Diaz", Level = 1 })).ToBeVisibleAsync();

        // On the conversation: r goes to the reply box, c to Compose.
        await page.Keyboard.PressAsync("r");
        await Expect(page.Locator("#body")).ToBeFocusedAsync();
        await page.Keyboard.TypeAsync("c");
        await Expect(page.Locator("#body")).ToHaveValueAsync("c");
        await page.Locator("h1").ClickAsync();
        await page.Keyboard.PressAsync("c");
        await page.WaitForURLAsync("**/compose");
    }

    [Fact]
    public void The_quick_choices_are_on_the_member_s_own_clock_across_a_change_of_summer_time()
    {
        // Saturday 7 March 2026, 18:00 in New York; summer time starts there at 02:00 on Sunday.
        var evening = new InMail.Web.Pages.MemberTime(new DateTimeOffset(2026, 3, 7, 23, 0, 0, TimeSpan.Zero), "America/New_York");
        Assert.Equal(
            [("later", "Later today", "2026-03-08T02:00:00Z"), ("tomorrow", "Tomorrow morning", "2026-03-08T12:00:00Z"), ("next-week", "Next week", "2026-03-09T12:00:00Z")],
            InMail.Web.Pages.WakeChoices.For(evening).Select(c => (c.Id, c.Label, Iso(c.At))));
        Assert.Equal("2026-03-10T13:30:00Z", InMail.Web.Pages.WakeChoices.Resolve(evening, "at", "2026-03-10T09:30"));
        Assert.Null(InMail.Web.Pages.WakeChoices.Resolve(evening, "at", ""));
        // Three hours on from 22:00 is tomorrow: it says so.
        var late = new InMail.Web.Pages.MemberTime(new DateTimeOffset(2026, 3, 8, 3, 0, 0, TimeSpan.Zero), "America/New_York");
        Assert.Equal("In 3 hours", InMail.Web.Pages.WakeChoices.For(late)[0].Label);
    }

    private static string Iso(DateTimeOffset t) => t.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task The_credits_page_downloads_the_ledger_as_CSV()
    {
        await using var server = BrowserServer.Start();
        var alice = await server.RegisterAsync("alice", "Alice Archer", "Recruiter", "Northwind");
        await server.CallAsync(alice, HttpMethod.Post, "/api/v1/members/me/subscription", new { plan = "premium-business" });
        var page = await chromium.NewPageAsync(server.Address);
        await page.SignInAsync("alice");
        await page.GotoAsync("/credits");
        var download = await page.RunAndWaitForDownloadAsync(() =>
            page.GetByRole(AriaRole.Link, new() { Name = "Download CSV of your credit history" }).ClickAsync());
        Assert.Equal("ledger-alice.csv", download.SuggestedFilename);
        var path = await download.PathAsync();
        var lines = await File.ReadAllLinesAsync(path, TestContext.Current.CancellationToken);
        Assert.Equal("wallet,entry,at,kind,source,delta,lot,lot_expires,message,member,note", lines[0]);
        Assert.Contains(lines.Skip(1), l => l.Contains("2026-03-02T09:00:00Z", StringComparison.Ordinal));

        await page.GotoAsync("/results");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Download CSV of the InMail you sent" }))
            .ToHaveAttributeAsync("href", "/api/v1/members/me/exports/inmails.csv");
    }
}
