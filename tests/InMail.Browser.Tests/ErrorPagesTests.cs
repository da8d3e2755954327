using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace InMail.Browser.Tests;

/// <summary>A member who opens an address that shows nothing gets the site's error page, not JSON, and a way back.</summary>
public sealed class ErrorPagesTests(Chromium chromium)
{
    [Fact]
    public async Task A_member_who_opens_an_unknown_conversation_sees_the_not_found_page_and_goes_back_to_the_inbox()
    {
        await using var server = BrowserServer.Start();
        await server.RegisterAsync("erin", "Erin Evans");
        var page = await chromium.NewPageAsync(server.Address);
        var errors = new List<string>();
        page.Console += (_, m) =>
        {
            // A blocked inline script or stylesheet would show here; Chromium's note of the page's own 404 is expected.
            if (m.Type == "error" && !(m.Text.Contains("status of 404", StringComparison.Ordinal) && m.Location.Contains("/inbox/nobody", StringComparison.Ordinal)))
            {
                errors.Add($"{m.Text} ({m.Location})");
            }
        };
        await page.SignInAsync("erin");

        var response = await page.GotoAsync("/inbox/nobody");
        Assert.Equal(404, response!.Status);
        Assert.StartsWith("text/html", await response.HeaderValueAsync("content-type"), StringComparison.Ordinal);
        await Expect(page.Locator("h1")).ToHaveCountAsync(1);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Page not found");
        await Expect(page.GetByRole(AriaRole.Main)).ToContainTextAsync("We could not find that page");
        await Expect(page.GetByTestId("status")).ToHaveTextAsync("404");
        await Expect(page.GetByTestId("request-id")).ToHaveTextAsync((await response.HeaderValueAsync("x-request-id"))!);
        await Expect(page.GetByRole(AriaRole.Navigation, new() { Name = "Main" })).ToBeVisibleAsync(); // still signed in, in the site's layout
        await Screenshots.SaveAsync(page, "error-not-found");

        await page.GetByRole(AriaRole.Link, new() { Name = "Back to your inbox" }).ClickAsync();
        // Commit, then the heading: waiting for the whole load event timed out on a machine at load 18.
        await page.WaitForURLAsync("**/inbox", new() { WaitUntil = WaitUntilState.Commit });
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("Inbox", new() { Timeout = 30_000 });
        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }
}
