using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace InMail.Browser.Tests;

/// <summary>
/// SPEC §10 in the browser: a sequence written from templates with an A/B step, recipients enrolled
/// from the member search, a pasted list and a CSV file after a cost preview, the follow-up going
/// when the clock reaches it, and a recipient's reply stopping their enrolment.
/// </summary>
public sealed class SequenceTests(Chromium chromium)
{
    [Fact]
    public async Task A_recruiter_enrols_three_in_an_AB_sequence_after_a_cost_preview_and_the_one_who_answers_gets_no_follow_up()
    {
        await using var server = BrowserServer.Start();
        var ops = await server.OperatorAsync();
        var alice = await server.RegisterAsync("alice", "Alice Archer", "Recruiter", "Northwind");
        var bob = await server.RegisterAsync("bob", "Bob Baker", "Backend engineer", "Contoso");
        await server.RegisterAsync("cher", "Cher Castillo", "Data engineer", "Fabrikam");
        await server.RegisterAsync("dana", "Dana Diaz", "Designer", "Fabrikam");
        await server.CallAsync(alice, HttpMethod.Post, "/api/v1/members/me/subscription", new { plan = "premium-business" });
        // Bob lives in New York, so his next step shows in his clock too.
        await server.CallAsync(bob, HttpMethod.Put, "/api/v1/members/me/profile", new { name = "Bob Baker", headline = "Backend engineer", company = "Contoso", timeZone = "America/New_York" });
        var page = await chromium.NewPageAsync(server.Address);
        await page.SignInAsync("alice");

        // Two openings to test against each other, and a follow-up without a subject (it goes as "Re: " the first).
        foreach (var (id, subject, body) in new[]
        {
            ("intro-short", "Quick question, {{firstName}}", "Hi {{firstName}}, your work at {{company|your team}} stood out. Open to a call?"),
            ("intro-long", "A platform role at Northwind", "Hi {{firstName}}, we are growing the platform team at Northwind and your work at {{company|your team}} caught our eye. Would a 20-minute call this week suit you?"),
            ("follow-up", "", "{{firstName}}, following up on my note: is a short call this week possible?"),
        })
        {
            await page.GotoAsync("/templates");
            await page.GetByLabel("Name").FillAsync(id);
            await page.GetByLabel("Subject").FillAsync(subject);
            await page.GetByLabel("Message").FillAsync(body);
            await page.GetByRole(AriaRole.Button, new() { Name = "Save template" }).ClickAsync();
            await Expect(page.Locator(".flash")).ToHaveTextAsync($"Template “{id}” saved.");
        }

        await page.GetByRole(AriaRole.Link, new() { Name = "Sequences" }).ClickAsync();
        await Expect(page.GetByText("No sequences yet.")).ToBeVisibleAsync();
        await page.GetByLabel("Name").FillAsync("platform-hiring");
        var step1 = page.GetByRole(AriaRole.Group, new() { Name = "Step 1", Exact = true });
        var step2 = page.GetByRole(AriaRole.Group, new() { Name = "Step 2" });
        var step3 = page.GetByRole(AriaRole.Group, new() { Name = "Step 3" });
        await Expect(step1.GetByLabel("Day")).ToHaveValueAsync("0");
        await Expect(step2.GetByLabel("Day")).ToHaveValueAsync("3");
        await Expect(page.GetByRole(AriaRole.Group, new() { Name = "Step 4" }).GetByLabel("Day")).ToHaveValueAsync("14");
        await step1.GetByLabel("Template", new() { Exact = true }).SelectOptionAsync("intro-short");
        await step1.GetByLabel("A/B test: second template").SelectOptionAsync("intro-long");
        await step2.GetByLabel("Template", new() { Exact = true }).SelectOptionAsync("follow-up");
        await page.GetByLabel("Budget").FillAsync("10");
        // A third step before the second is the engine's to refuse, beside the form; nothing is saved.
        await step3.GetByLabel("Day").FillAsync("2");
        await step3.GetByLabel("Template", new() { Exact = true }).SelectOptionAsync("follow-up");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save sequence" }).ClickAsync();
        await Expect(page.Locator("#sequence-error")).ToContainTextAsync("Step 3 is on day 2; each step's day comes after the one before");
        await Expect(page.Locator("#sequence-error")).ToContainTextAsync("(invalid-sequence)");
        await Expect(page.GetByText("No sequences yet.")).ToBeVisibleAsync();
        await Screenshots.SaveAsync(page, "sequences-refused");
        await step3.GetByLabel("Template", new() { Exact = true }).SelectOptionAsync("");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save sequence" }).ClickAsync();
        await page.WaitForURLAsync("**/sequences/platform-hiring", new() { WaitUntil = WaitUntilState.Commit });
        await Expect(page.Locator(".flash")).ToHaveTextAsync("Sequence “platform-hiring” saved. Enrol recipients below.");
        await Expect(page.GetByText("Nobody yet.")).ToBeVisibleAsync();

        // Bob from the member search, Dana from a pasted list (her name, in any case), Cher from a CSV file.
        await page.GetByLabel("Find members by name, company or headline").FillAsync("Baker");
        await page.GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Pick Bob Baker" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.List, new() { Name = "Picked" })).ToContainTextAsync("Bob Baker");
        var csv = new FilePayload { Name = "people.csv", MimeType = "text/csv", Buffer = Encoding.UTF8.GetBytes("id,name\ncher,Cher Castillo\n") };
        await page.GetByLabel("Paste member ids or names, one a line").FillAsync("dana diaz\nNobody Here");
        await page.GetByLabel("Or upload a CSV file").SetInputFilesAsync(csv);
        await page.GetByRole(AriaRole.Button, new() { Name = "Preview cost" }).ClickAsync();
        // A row that names nobody: all or none, so there is nothing to enrol until it goes.
        await Expect(page.GetByTestId("bad-rows")).ToContainTextAsync("Nobody Here (line 2): No member has the id or the name “Nobody Here”. (unknown)");
        await Expect(page.GetByRole(AriaRole.Button, new() { NameRegex = new Regex("^Enrol \\d") })).ToHaveCountAsync(0);

        await page.GetByLabel("Paste member ids or names, one a line").FillAsync("dana diaz");
        await page.GetByLabel("Or upload a CSV file").SetInputFilesAsync(csv);
        await page.GetByRole(AriaRole.Button, new() { Name = "Preview cost" }).ClickAsync();
        await Expect(page.GetByTestId("first-step")).ToHaveTextAsync("3 credits");
        await Expect(page.GetByTestId("at-most")).ToHaveTextAsync("6 credits");
        await Expect(page.GetByTestId("available")).ToHaveTextAsync("15");
        await Expect(page.GetByTestId("budget-left")).ToHaveTextAsync("10 credits");
        await Expect(page.GetByTestId("daily-left")).ToHaveTextAsync("20");
        await Expect(page.GetByRole(AriaRole.List, new() { Name = "Before you enrol" })).ToContainTextAsync("A response within 90 days brings back every credit spent on that recipient's steps: up to 6.");
        var rows = page.GetByTestId("rows").Locator("tbody tr");
        await Expect(rows).ToHaveCountAsync(3);
        await Expect(rows.Nth(0)).ToContainTextAsync("Bob Baker");
        await Expect(rows.Nth(1)).ToContainTextAsync("Dana Diaz");
        await Expect(rows.Nth(1)).ToContainTextAsync("dana diaz (line 1)");
        await Expect(rows.Nth(2)).ToContainTextAsync("Cher Castillo");
        await Expect(rows.Nth(2)).ToContainTextAsync("cher (file row 2)");
        await PagesTests.CheckAsync(page, phone: false);
        await Screenshots.SaveAsync(page, "sequence-enrol-preview");
        await page.GetByRole(AriaRole.Button, new() { Name = "Enrol 3 recipients" }).ClickAsync();
        await Expect(page.Locator(".flash")).ToHaveTextAsync("Enrolled 3 in “platform-hiring”: step 1 went to 3.");

        // Step 1 went to each, A, B, A in turn; step 2 is due on day 3, in Alice's clock and in each recipient's.
        var enrolments = page.GetByRole(AriaRole.List, new() { Name = "Enrolments" });
        var bobs = enrolments.Locator("[data-to='bob']");
        await Expect(enrolments.Locator("[data-status='active']")).ToHaveCountAsync(3);
        await Expect(bobs).ToContainTextAsync("Variant A");
        await Expect(enrolments.Locator("[data-to='dana']")).ToContainTextAsync("Variant B");
        await Expect(bobs).ToContainTextAsync("1 of 2 steps sent");
        await Expect(bobs).ToContainTextAsync("Step 2 2026-03-05 09:00 UTC (Thursday 2026-03-05 04:00 (America/New_York), their time)");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Unenrol Bob Baker" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Delete sequence" })).ToHaveCountAsync(0); // not while any is active

        // A day later Bob answers; his credit comes back, and he gets no follow-up.
        await server.CallAsync(ops, HttpMethod.Put, "/api/v1/operator/clock", new { at = "2026-03-03T09:00:00Z" });
        await server.CallAsync(bob, HttpMethod.Post, "/api/v1/messages", new { to = "alice", body = "Happy to talk. Thursday?" });
        await page.ReloadAsync();
        await Expect(bobs).ToContainTextAsync("They responded");
        await server.CallAsync(ops, HttpMethod.Put, "/api/v1/operator/clock", new { at = "2026-03-05T08:59:59Z" });
        await page.ReloadAsync();
        await Expect(enrolments.Locator("[data-status='active']")).ToHaveCountAsync(3); // never early
        await server.CallAsync(ops, HttpMethod.Put, "/api/v1/operator/clock", new { at = "2026-03-05T09:00:00Z" });
        await page.ReloadAsync();
        await Expect(bobs).ToHaveAttributeAsync("data-status", "stopped");
        await Expect(bobs).ToHaveAttributeAsync("data-reason", "responded");
        await Expect(bobs).ToContainTextAsync("Stopped just now: they responded, so no further step goes (responded)");
        await Expect(bobs).ToContainTextAsync("1 of 2 steps sent");
        foreach (var other in new[] { "cher", "dana" })
        {
            await Expect(enrolments.Locator($"[data-to='{other}']")).ToHaveAttributeAsync("data-status", "finished");
            await Expect(enrolments.Locator($"[data-to='{other}']")).ToContainTextAsync("2 of 2 steps sent");
        }
        var results = page.GetByTestId("results");
        // Template, sent, replied, positive, credits spent, refunded: Bob's reply counts at step 1 A, and his credit came back.
        await Expect(results.Locator("[data-step='1'][data-variant='A'] td")).ToHaveTextAsync(["intro-short", "2", "1", "0", "2", "1"]);
        await Expect(results.Locator("[data-step='1'][data-variant='B'] td")).ToHaveTextAsync(["intro-long", "1", "0", "0", "1", "0"]);
        await Expect(results.Locator("[data-step='2'] td")).ToHaveTextAsync(["follow-up", "2", "0", "0", "2", "0"]);
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Delete sequence “platform-hiring”" })).ToBeVisibleAsync();
        await PagesTests.CheckAsync(page, phone: false);
        await Screenshots.SaveAsync(page, "sequence-detail");

        await page.GotoAsync("/sequences");
        await Expect(page.GetByRole(AriaRole.List, new() { Name = "Your sequences" })).ToContainTextAsync("3 enrolled, 0 active · 5 credits spent, 1 refunded · budget 10 credits");
        await Screenshots.SaveAsync(page, "sequences");
        await page.GotoAsync("/inbox/cher");
        await Expect(page.Locator(".message .subject").Last).ToHaveTextAsync("Re: Quick question, Cher");
        await page.GotoAsync("/credits");
        await Expect(page.GetByTestId("balance")).ToHaveTextAsync("11");

        var phone = await chromium.NewPageAsync(server.Address, phone: true);
        await phone.SignInAsync("alice");
        await phone.GotoAsync("/sequences");
        await Expect(phone.GetByRole(AriaRole.Group, new() { Name = "Step 1", Exact = true })).ToBeVisibleAsync();
        await PagesTests.CheckAsync(phone, phone: true);
        await Screenshots.SaveAsync(phone, "sequences-phone");
        await phone.GotoAsync("/sequences/platform-hiring");
        await phone.GetByLabel("Paste member ids or names, one a line").FillAsync("Bob Baker\ncher\nNobody Here");
        await phone.GetByRole(AriaRole.Button, new() { Name = "Preview cost" }).ClickAsync();
        await Expect(phone.GetByTestId("bad-rows")).ToContainTextAsync("Nobody Here");
        await PagesTests.CheckAsync(phone, phone: true);
        await Screenshots.SaveAsync(phone, "sequence-detail-phone");
    }
}
