using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace InMail.Browser.Tests;

/// <summary>SPEC §10 in the browser: a template written with a live preview for a chosen recipient and the coach beside it, then used in Compose.</summary>
public sealed class TemplateTests(Chromium chromium)
{
    [Fact]
    public async Task A_recruiter_writes_a_template_sees_it_as_the_candidate_would_and_sends_it_from_compose()
    {
        await using var server = BrowserServer.Start();
        var ops = await server.OperatorAsync();
        var alice = await server.RegisterAsync("alice", "Alice Archer", "Recruiter", "Northwind");
        await server.RegisterAsync("bob", "Bob Baker", "Backend engineer", "Contoso");
        await server.RegisterAsync("cher", "Cher");
        await server.CallAsync(alice, HttpMethod.Post, "/api/v1/members/me/subscription", new { plan = "premium-business" });
        await server.CallAsync(ops, HttpMethod.Post, "/api/v1/operator/connections", new { a = "alice", b = "bob" });
        await server.CallAsync(ops, HttpMethod.Post, "/api/v1/operator/connections", new { a = "alice", b = "cher" });
        var page = await chromium.NewPageAsync(server.Address);
        await page.SignInAsync("alice");

        await page.GetByRole(AriaRole.Link, new() { Name = "Templates" }).ClickAsync();
        await Expect(page.GetByText("No templates yet.")).ToBeVisibleAsync();
        await page.GetByLabel("Name").FillAsync("intro");
        await page.GetByLabel("Subject").FillAsync("Quick question, {{firstName}}");
        await page.GetByLabel("Preview for").SelectOptionAsync(new SelectOptionValue { Label = "Bob Baker" });
        // The coach reads as the member types: a long, question-less text about "I" first.
        await page.GetByLabel("Message").FillAsync("I run hiring at Northwind and I think my team and I would like to talk.");
        var preview = page.GetByRole(AriaRole.Region, new() { Name = "As Bob Baker would read it" });
        await Expect(preview.Locator("[data-code='no-ask']")).ToBeVisibleAsync();
        await Expect(preview.Locator("[data-code='about-me']")).ToBeVisibleAsync();
        await Expect(preview.Locator("[data-preview-subject]")).ToHaveTextAsync("Quick question, Bob");

        await page.GetByLabel("Message").FillAsync("Hi {{firstName}}, your work at {{company|your team}} stood out. Open to a call on Thursday?");
        await Expect(preview.Locator("[data-preview-body]")).ToHaveTextAsync("Hi Bob, your work at Contoso stood out. Open to a call on Thursday?");
        await Expect(preview.Locator(".findings")).ToHaveTextAsync("Nothing to change: short, personal, one clear ask.");
        // For Cher, who has no company, the fallback fills in.
        await page.GetByLabel("Preview for").SelectOptionAsync(new SelectOptionValue { Label = "Cher" });
        await Expect(page.Locator("[data-preview-body]")).ToHaveTextAsync("Hi Cher, your work at your team stood out. Open to a call on Thursday?");
        // A placeholder with no value and no fallback is named before anything is sent.
        await page.GetByLabel("Message").FillAsync("Dear {{lastName}}, open to a call?");
        await Expect(page.Locator("[data-preview-code]")).ToHaveTextAsync("(placeholder-unresolved)");
        await page.GetByLabel("Message").FillAsync("Hi {{firstName}}, your work at {{company|your team}} stood out. Open to a call on Thursday?");
        await Expect(page.Locator("[data-preview-refusal]")).ToBeHiddenAsync();
        await Expect(page.Locator("[data-preview-body]")).ToHaveTextAsync("Hi Cher, your work at your team stood out. Open to a call on Thursday?");
        await Screenshots.SaveAsync(page, "templates-editor");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save template" }).ClickAsync();
        await Expect(page.Locator(".flash")).ToHaveTextAsync("Template “intro” saved.");
        await Expect(page.GetByRole(AriaRole.Navigation, new() { Name = "Yours (1)" })).ToContainTextAsync("intro");

        // A bad placeholder is refused beside the message, and nothing changes.
        await page.GetByLabel("Message").FillAsync("Hi {{nickname}}?");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save template" }).ClickAsync();
        await Expect(page.Locator("#body-error")).ToContainTextAsync("invalid-template");

        // Compose: start from the template; the fields hold the text rendered for the recipient, and the coach agrees.
        await page.GotoAsync("/compose?to=bob");
        await page.GetByRole(AriaRole.Button, new() { Name = "Use template" }).ClickAsync();
        await Expect(page.GetByLabel("Message")).ToHaveValueAsync("Hi Bob, your work at Contoso stood out. Open to a call on Thursday?");
        await Expect(page.GetByLabel("Subject")).ToHaveValueAsync("Quick question, Bob");
        // Bob is a connection: a plain message, which the coach does not grade as cold outreach.
        await Expect(page.Locator("#cost")).ToHaveTextAsync("Free: 1st-degree connection");

        await server.RegisterAsync("dana", "Dana Diaz", "Designer", "Fabrikam");
        await page.GotoAsync("/compose?to=dana");
        await page.GetByLabel("Subject").FillAsync("Hello");
        await page.GetByLabel("Message").FillAsync("We are hiring designers.");
        await Expect(page.Locator(".coach [data-code='no-ask']")).ToBeVisibleAsync();
        await Expect(page.Locator(".coach [data-code='generic']")).ToBeVisibleAsync();
        await page.GetByLabel("Message").FillAsync("Dana, your Fabrikam portfolio is great. Open to a chat?");
        await Expect(page.Locator(".coach .findings")).ToHaveTextAsync("Nothing to change: short, personal, one clear ask.");
        await Screenshots.SaveAsync(page, "compose-coach");

        var phone = await chromium.NewPageAsync(server.Address, phone: true);
        await phone.SignInAsync("alice");
        await phone.GotoAsync("/templates?id=intro&to=bob");
        await Expect(phone.Locator("[data-preview-body]")).ToHaveTextAsync("Hi Bob, your work at Contoso stood out. Open to a call on Thursday?");
        await Screenshots.SaveAsync(phone, "templates-phone");
    }
}
