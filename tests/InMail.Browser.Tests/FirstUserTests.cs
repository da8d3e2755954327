using System.Text.Json.Nodes;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace InMail.Browser.Tests;

/// <summary>What a first user tripped over (issue 10, pages): each fix, tried in a real browser.</summary>
public sealed class FirstUserTests(Chromium chromium)
{
    [Fact]
    public async Task The_inbox_list_keeps_names_left_and_labels_small_says_who_wrote_last_and_counts_unread_as_the_list_shows()
    {
        await using var server = BrowserServer.Start();
        var ops = await server.OperatorAsync();
        var alice = await server.RegisterAsync("alice", "Alice Archer");
        var bob = await server.RegisterAsync("bob", "Bob Baker");
        var carol = await server.RegisterAsync("carol", "Carol Chen");
        var danaToken = await server.RegisterAsync("dana", "Dana Diaz");
        await server.CallAsync(ops, HttpMethod.Post, "/api/v1/operator/connections", new { a = "dana", b = "carol" });
        await server.CallAsync(alice, HttpMethod.Post, "/api/v1/members/me/subscription", new { plan = "premium-business" });
        await server.CallAsync(carol, HttpMethod.Post, "/api/v1/members/me/subscription", new { plan = "premium-business" });
        var sent = await server.CallAsync(alice, HttpMethod.Post, "/api/v1/messages", new { to = "dana", subject = "A role", body = "Interested?" });
        await server.CallAsync(bob, HttpMethod.Post, "/api/v1/members/me/subscription", new { plan = "premium-business" });
        await server.CallAsync(bob, HttpMethod.Post, "/api/v1/messages", new { to = "dana", subject = "Hello", body = "First note" });
        await server.CallAsync(bob, HttpMethod.Post, "/api/v1/messages", new { to = "dana", subject = "Hello again", body = "Second note" });
        await server.CallAsync(danaToken, HttpMethod.Post, $"/api/v1/messages/{sent["message"]!["id"]!.GetValue<string>()}/responses", new { kind = "decline" });
        await server.CallAsync(danaToken, HttpMethod.Post, "/api/v1/messages", new { to = "carol", body = "Lunch on Friday?" });
        server.Clock.Advance(TimeSpan.FromHours(3));

        foreach (var phone in new[] { false, true })
        {
            var page = await chromium.NewPageAsync(server.Address, phone);
            await page.SignInAsync("dana");
            var list = page.GetByRole(AriaRole.List, new() { Name = "Conversations" });
            var rows = list.GetByRole(AriaRole.Listitem);
            await Expect(rows).ToHaveCountAsync(3);

            // The count in the heading, the Unread tab and the navigation is the number of rows marked unread.
            await Expect(list.Locator("li.unread")).ToHaveCountAsync(1);
            await Expect(page.GetByTestId("unread")).ToHaveTextAsync("1 unread conversation");
            await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Inbox (1 unread)" })).ToBeVisibleAsync();
            await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Unread (1)" })).ToBeVisibleAsync();

            var bobRow = rows.Filter(new() { HasText = "Bob Baker" });
            await Expect(bobRow).ToContainTextAsync("2 new messages");
            await Expect(bobRow).ToContainTextAsync("Hello again — Second note");
            await Expect(rows.Filter(new() { HasText = "Carol Chen" }).Locator(".snippet")).ToHaveTextAsync("You: Lunch on Friday?");
            await Expect(rows.Filter(new() { HasText = "Alice Archer" }).Locator(".snippet")).ToHaveTextAsync("You declined the InMail.");
            await Expect(bobRow.Locator(".when")).ToHaveTextAsync("3 hours ago");

            // The name starts at the row's left and the labels are as wide as their words, not the row.
            var row = await bobRow.Locator("a").BoundingBoxAsync();
            var name = await bobRow.Locator(".who").BoundingBoxAsync();
            var badge = await bobRow.Locator(".badge").BoundingBoxAsync();
            var label = await bobRow.Locator(".label").BoundingBoxAsync();
            Assert.True(name!.X - row!.X < 24, $"the name starts {name.X - row.X}px into the row");
            Assert.True(badge!.Width < 160, $"the unread badge is {badge.Width}px wide");
            Assert.True(label!.Width < 80, $"the InMail label is {label.Width}px wide");
            Assert.True(badge.Height < 30 && label.Height < 30, "the labels are one line high");
            await Screenshots.SaveAsync(page, phone ? "inbox-list-phone" : "inbox-list");
        }

        // Alice, the sender, reads what happened to her InMail the same way.
        var sender = await chromium.NewPageAsync(server.Address);
        await sender.SignInAsync("alice");
        await Expect(sender.GetByRole(AriaRole.List, new() { Name = "Conversations" }).Locator(".snippet")).ToHaveTextAsync("Dana Diaz declined your InMail.");
    }

    [Fact]
    public async Task A_follow_up_under_an_unanswered_InMail_shows_its_path_cost_limits_and_a_Re_subject_and_goes()
    {
        await using var server = BrowserServer.Start();
        var alice = await server.RegisterAsync("alice", "Alice Archer");
        await server.RegisterAsync("bob", "Bob Baker");
        await server.CallAsync(alice, HttpMethod.Post, "/api/v1/members/me/subscription", new { plan = "premium-business" });
        await server.CallAsync(alice, HttpMethod.Post, "/api/v1/messages", new { to = "bob", subject = "A backend role", body = "Interested?" });
        server.Clock.Advance(TimeSpan.FromDays(3));

        var page = await chromium.NewPageAsync(server.Address);
        await page.SignInAsync("alice");
        await page.GotoAsync("/inbox/bob");
        var box = page.GetByRole(AriaRole.Region, new() { Name = "Write to Bob Baker" });
        await Expect(box.GetByLabel("Subject")).ToHaveValueAsync("Re: A backend role");
        await Expect(box.Locator("[data-subject-rule]")).ToHaveTextAsync("(required)");
        await Expect(box.Locator("#cost")).ToHaveTextAsync("1 InMail credit (13 left)");
        await box.GetByLabel("Message").FillAsync("Following up: still interested?");
        await Expect(box.Locator("#body-count")).ToHaveTextAsync("31 / 1900");
        await Expect(box.Locator("#subject-count")).ToHaveTextAsync("18 / 200");

        // The live quote is the Compose one: clearing the subject keeps the path; sending says why, beside it.
        await box.GetByLabel("Subject").FillAsync("");
        await box.GetByRole(AriaRole.Button, new() { Name = "Send" }).ClickAsync();
        await Expect(page.Locator("#subject-error")).ToContainTextAsync("subject-required");
        await Expect(box.Locator("#cost")).ToHaveTextAsync("1 InMail credit (13 left)");
        await box.GetByLabel("Subject").FillAsync("Re: A backend role");
        await box.GetByLabel("Message").FillAsync("Following up: still interested?");
        await Screenshots.SaveAsync(page, "conversation-follow-up");
        await box.GetByRole(AriaRole.Button, new() { Name = "Send" }).ClickAsync();

        await Expect(page.Locator(".flash")).ToHaveTextAsync("InMail sent: 1 credit spent, 13 left.");
        await Expect(page.Locator(".message .subject").Last).ToHaveTextAsync("Re: A backend role");
        await Expect(page.Locator(".message")).ToHaveCountAsync(2);

        // Once Bob writes back, the box is a free message with no subject and the message limit.
        var bob = await chromium.NewPageAsync(server.Address);
        await bob.SignInAsync("bob");
        await bob.GotoAsync("/inbox/alice");
        await bob.GetByLabel("Your reply (optional when accepting or declining)").FillAsync("Yes, let us talk.");
        await bob.GetByRole(AriaRole.Button, new() { Name = "Reply" }).ClickAsync();
        await page.GotoAsync("/inbox/bob");
        await Expect(box.Locator("#cost")).ToHaveTextAsync("Free: they have written to you");
        await Expect(box.Locator("[data-subject]")).ToBeHiddenAsync();
        await box.GetByLabel("Message").FillAsync("Great");
        await Expect(box.Locator("#body-count")).ToHaveTextAsync("5 / 8000");
    }

    [Fact]
    public async Task A_plan_form_without_a_known_intent_never_cancels_and_plans_read_as_choices_with_the_own_plan_first()
    {
        await using var server = BrowserServer.Start();
        var alice = await server.RegisterAsync("alice", "Alice Archer");
        await server.CallAsync(alice, HttpMethod.Post, "/api/v1/members/me/subscription", new { plan = "sales-navigator-core" });
        var page = await chromium.NewPageAsync(server.Address);
        await page.SignInAsync("alice");

        await page.GotoAsync("/plans");
        var first = page.Locator(".plans > .plan").First;
        await Expect(first).ToContainTextAsync("Sales Navigator Core");
        await Expect(first).ToContainTextAsync("Your plan");
        // Not greyed: the other plans' figures are in the ink colour, not the muted one.
        var colour = await page.Locator(".plans > .plan").Nth(1).Locator("dd").First.EvaluateAsync<string>("el => getComputedStyle(el).color");
        Assert.Equal("rgb(29, 34, 38)", colour);
        await Screenshots.SaveAsync(page, "plans-choices");

        foreach (var intent in new[] { null, "bogus" })
        {
            await page.GotoAsync("/plans?intent=cancel");
            await page.EvaluateAsync("value => { const f = document.querySelector('.confirm input[name=intent]'); if (value === null) f.remove(); else f.value = value; }", intent);
            await page.GetByRole(AriaRole.Button, new() { Name = "Confirm: Cancel Sales Navigator Core" }).ClickAsync();
            await Expect(page.Locator("#plan-error")).ToContainTextAsync("invalid-input");
            var subscription = await server.CallAsync(alice, HttpMethod.Get, "/api/v1/members/me/subscription");
            Assert.True(subscription["endsAt"] is not JsonValue, $"the plan was cancelled by a form with intent '{intent}': {subscription}");
        }
    }

    [Fact]
    public async Task On_a_phone_the_header_stays_short_and_a_wide_table_scrolls_inside_its_box()
    {
        await using var server = BrowserServer.Start();
        var alice = await server.RegisterAsync("alice", "Alice Archer-Montgomery-Smythe");
        await server.RegisterAsync("bob", "Bob Baker");
        await server.CallAsync(alice, HttpMethod.Post, "/api/v1/members/me/subscription", new { plan = "premium-business" });
        await server.CallAsync(alice, HttpMethod.Post, "/api/v1/messages", new { to = "bob", subject = "Hi", body = "Hello" });
        var page = await chromium.NewPageAsync(server.Address, phone: true);
        await page.SignInAsync("alice");

        foreach (var path in new[] { "/inbox", "/results", "/credits", "/plans" })
        {
            await page.GotoAsync(path);
            var header = await page.Locator("header.top").BoundingBoxAsync();
            Assert.True(header!.Height <= 120, $"{path}: the header is {header.Height}px high on a phone");
            var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - window.innerWidth");
            Assert.True(overflow <= 0, $"{path} is {overflow}px wider than the phone");
        }
        await page.GotoAsync("/results");
        var wrap = page.Locator(".table-wrap").First;
        Assert.True(await wrap.EvaluateAsync<bool>("el => el.scrollWidth > el.clientWidth"), "the results table is squeezed instead of scrolling");
        await Screenshots.SaveAsync(page, "results-phone-scroll");
    }

    [Fact]
    public async Task Removing_a_connection_and_blocking_from_the_network_page_ask_first_saying_what_happens()
    {
        await using var server = BrowserServer.Start();
        var ops = await server.OperatorAsync();
        await server.RegisterAsync("erin", "Erin Evans");
        await server.RegisterAsync("frank", "Frank Fischer");
        await server.RegisterAsync("gina", "Gina Garcia");
        await server.CallAsync(ops, HttpMethod.Post, "/api/v1/operator/connections", new { a = "erin", b = "frank" });
        await server.CallAsync(ops, HttpMethod.Post, "/api/v1/operator/connections", new { a = "erin", b = "gina" });
        var page = await chromium.NewPageAsync(server.Address);
        await page.SignInAsync("erin");
        await page.GotoAsync("/network");

        await page.GetByRole(AriaRole.Button, new() { Name = "Remove Frank Fischer…" }).ClickAsync();
        var ask = page.GetByRole(AriaRole.Region, new() { Name = "Remove Frank Fischer from your connections?" });
        await Expect(ask).ToContainTextAsync("Messages between you are no longer free");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Connections (2)" })).ToBeVisibleAsync();
        await Screenshots.SaveAsync(page, "network-confirm-remove");
        await ask.GetByRole(AriaRole.Link, new() { Name = "No, go back" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Connections (2)" })).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Remove Frank Fischer…" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Confirm: remove Frank Fischer" }).ClickAsync();
        await Expect(page.Locator(".flash")).ToHaveTextAsync("Connection removed.");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Connections (1)" })).ToBeVisibleAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "Block Gina Garcia…" }).ClickAsync();
        var block = page.GetByRole(AriaRole.Region, new() { Name = "Block Gina Garcia?" });
        await Expect(block).ToContainTextAsync("Your connection with Gina Garcia and any pending invitation between you end now.");
        await Expect(page.GetByRole(AriaRole.Region, new() { Name = "Blocked members" })).ToContainTextAsync("You have blocked nobody.");
        await block.GetByRole(AriaRole.Button, new() { Name = "Confirm: block Gina Garcia" }).ClickAsync();
        await Expect(page.Locator(".flash")).ToHaveTextAsync("Blocked.");
        await Expect(page.GetByRole(AriaRole.Region, new() { Name = "Blocked members" })).ToContainTextAsync("Gina Garcia");
    }

    [Fact]
    public async Task A_new_member_signs_up_and_invites_someone_found_by_name()
    {
        await using var server = BrowserServer.Start();
        await server.RegisterAsync("frank", "Frank Fischer", "Data engineer", "Fabrikam");
        var page = await chromium.NewPageAsync(server.Address);

        await page.GotoAsync("/sign-in");
        await page.GetByRole(AriaRole.Link, new() { Name = "Create an account" }).ClickAsync();
        await page.GetByLabel("Member id").FillAsync("frank");
        await page.GetByLabel("Your name").FillAsync("Another Frank");
        await page.GetByLabel("Password").FillAsync(BrowserServer.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Create account" }).ClickAsync();
        await Expect(page.Locator("#form-error")).ToBeVisibleAsync(); // the id is taken: refused, nobody signed in
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Inbox" })).ToHaveCountAsync(0);

        await page.GetByLabel("Member id").FillAsync("hana");
        await page.GetByLabel("Your name").FillAsync("Hana Hill");
        await page.GetByLabel("Password").FillAsync(BrowserServer.Password);
        await page.GetByLabel("Time zone (optional, e.g. Europe/Paris; times are shown in it)").FillAsync("Asia/Tokyo");
        await Screenshots.SaveAsync(page, "sign-up");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create account" }).ClickAsync();
        await page.WaitForURLAsync("**/inbox", new() { WaitUntil = WaitUntilState.Commit });
        await Expect(page.Locator(".flash")).ToContainTextAsync("Welcome, Hana Hill.");

        await page.GotoAsync("/network");
        await page.GetByLabel("Find someone by name, company or headline").FillAsync("fabrikam");
        await page.GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Invite Frank Fischer" }).ClickAsync();
        await Expect(page.Locator("#to")).ToHaveTextAsync("To Frank Fischer");
        await Screenshots.SaveAsync(page, "network-invite-by-name");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send invitation" }).ClickAsync();
        await Expect(page.Locator(".flash")).ToHaveTextAsync("Invitation sent.");
        await Expect(page.GetByRole(AriaRole.Region, new() { Name = "Invitations sent" })).ToContainTextAsync("To Frank Fischer");
    }

    [Fact]
    public async Task Times_are_in_the_members_zone_relative_for_the_last_day_and_Compose_shows_the_recipients_local_time()
    {
        await using var server = BrowserServer.Start();
        var ops = await server.OperatorAsync();
        var alice = await server.RegisterAsync("alice", "Alice Archer");
        var bob = await server.RegisterAsync("bob", "Bob Baker");
        await server.CallAsync(alice, HttpMethod.Put, "/api/v1/members/me/profile", new { name = "Alice Archer", timezone = "Europe/Paris" });
        await server.CallAsync(bob, HttpMethod.Put, "/api/v1/members/me/profile", new { name = "Bob Baker", timezone = "America/New_York" });
        await server.CallAsync(ops, HttpMethod.Post, "/api/v1/operator/connections", new { a = "alice", b = "bob" });
        await server.CallAsync(bob, HttpMethod.Post, "/api/v1/messages", new { to = "alice", body = "Two days ago" }); // 2026-03-02 09:00 UTC
        server.Clock.Advance(TimeSpan.FromDays(2));
        await server.CallAsync(bob, HttpMethod.Post, "/api/v1/messages", new { to = "alice", body = "Just now" });
        server.Clock.Advance(TimeSpan.FromMinutes(5));

        var page = await chromium.NewPageAsync(server.Address);
        await page.SignInAsync("alice");
        await page.GotoAsync("/inbox/bob");
        await Expect(page.Locator(".message time").First).ToHaveTextAsync("2026-03-02 10:00 Europe/Paris");
        await Expect(page.Locator(".message time").Last).ToHaveTextAsync("5 minutes ago");

        await page.GotoAsync("/compose?to=bob");
        // 2026-03-04 09:05 UTC is 04:05 on a Wednesday in New York.
        await Expect(page.GetByTestId("recipient-time")).ToHaveTextAsync("Their local time now: Wednesday 04:05 (America/New_York)");
        await Screenshots.SaveAsync(page, "compose-recipient-time");
    }

    [Fact]
    public async Task Results_set_the_members_figures_against_the_benchmark_and_say_when_their_data_goes_the_other_way()
    {
        await using var server = BrowserServer.Start();
        var alice = await server.RegisterAsync("alice", "Alice Archer");
        var bob = await server.RegisterAsync("bob", "Bob Baker");
        await server.RegisterAsync("carol", "Carol Chen");
        await server.CallAsync(alice, HttpMethod.Post, "/api/v1/members/me/subscription", new { plan = "premium-business" });
        var longOne = await server.CallAsync(alice, HttpMethod.Post, "/api/v1/messages", new { to = "bob", subject = "Long", body = new string('x', 450) });
        await server.CallAsync(alice, HttpMethod.Post, "/api/v1/messages", new { to = "carol", subject = "Short", body = "Short one?" });
        server.Clock.Advance(TimeSpan.FromHours(2));
        await server.CallAsync(bob, HttpMethod.Post, $"/api/v1/messages/{longOne["message"]!["id"]!.GetValue<string>()}/responses", new { kind = "reply", body = "Sure" });

        var page = await chromium.NewPageAsync(server.Address);
        await page.SignInAsync("alice");
        await page.GotoAsync("/results");
        var compare = page.GetByTestId("comparisons");
        await Expect(compare).ToContainTextAsync("Your reply rate, 50%, is above the 18–25% InMail typically gets (cold email: about 3%).");
        await Expect(compare).ToContainTextAsync("Your InMails under 400 characters got 0% replies, those of 400 or more 100%: for you the longer ones did better, unlike the seed's figures");
        await Expect(compare).Not.ToContainTextAsync("shorter did better");
        await Screenshots.SaveAsync(page, "results-compared");
    }
}
