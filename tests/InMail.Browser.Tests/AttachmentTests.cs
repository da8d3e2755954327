using System.Text;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace InMail.Browser.Tests;

/// <summary>Attachments (SPEC §11) in a real browser: a renamed program refused beside the picker, files sent, shown and downloaded by the recipient.</summary>
public sealed class AttachmentTests(Chromium chromium)
{
    // A megabyte: far past the service's 64 KB default for a request body, which the forms that take files raise.
    private static readonly byte[] Pdf = [.. Encoding.ASCII.GetBytes("%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n"), .. new byte[1_000_000 - 45]];
    private static readonly byte[] Program = [(byte)'M', (byte)'Z', 0x90, 0x00, 0x03, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0xFF, 0xFF];

    [Fact]
    public async Task A_renamed_program_is_refused_and_nothing_is_sent_then_two_files_go_and_the_recipient_downloads_one()
    {
        await using var server = BrowserServer.Start();
        var alice = await server.RegisterAsync("alice", "Alice Archer", "Recruiter", "Northwind");
        await server.RegisterAsync("bob", "Bob Baker", "Backend engineer", "Contoso");
        await server.CallAsync(alice, HttpMethod.Post, "/api/v1/members/me/subscription", new { plan = "premium-business" });

        var page = await chromium.NewPageAsync(server.Address);
        await page.SignInAsync("alice");
        await page.GotoAsync("/compose?to=bob");
        await page.GetByLabel("Subject").FillAsync("A backend role");
        await page.GetByLabel("Message").FillAsync("Hi Bob, the role description is attached. Interested?");
        await page.GetByLabel("Attach files").SetInputFilesAsync(new FilePayload { Name = "offer.pdf", MimeType = "application/pdf", Buffer = Program });
        await page.GetByRole(AriaRole.Button, new() { Name = "Send", Exact = true }).ClickAsync();

        await Expect(page.Locator("#files-error")).ToContainTextAsync("“offer.pdf” is not a PDF, PNG, JPEG, plain text or Word (DOCX) file");
        await Expect(page.Locator("#files-error")).ToContainTextAsync("(attachment-rejected)");
        // The draft is still there, and nothing was sent: the credit is still Alice's.
        await Expect(page.GetByLabel("Message")).ToHaveValueAsync("Hi Bob, the role description is attached. Interested?");
        await Expect(page.Locator("#cost")).ToHaveTextAsync("1 InMail credit (14 left)");

        await page.GetByLabel("Attach files").SetInputFilesAsync(new[]
        {
            new FilePayload { Name = "role.pdf", MimeType = "application/pdf", Buffer = Pdf },
            new FilePayload { Name = "notes.txt", MimeType = "text/plain", Buffer = Encoding.UTF8.GetBytes("Salary band: 90–110k €\n") },
        });
        await Screenshots.SaveAsync(page, "compose-files");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send", Exact = true }).ClickAsync();
        await page.WaitForURLAsync("**/inbox/bob", new() { WaitUntil = WaitUntilState.Commit });
        await Expect(page.Locator(".flash")).ToHaveTextAsync("InMail sent: 1 credit spent, 14 left.");
        var files = page.GetByRole(AriaRole.List, new() { Name = "Attached files" });
        await Expect(files.GetByRole(AriaRole.Listitem)).ToHaveCountAsync(2);
        await Expect(files.GetByRole(AriaRole.Listitem).Nth(0)).ToContainTextAsync("role.pdf PDF, 976.6 KB");
        await Expect(files.GetByRole(AriaRole.Listitem).Nth(1)).ToContainTextAsync("notes.txt Text, 27 bytes");

        var bob = await chromium.NewPageAsync(server.Address, phone: true);
        await bob.SignInAsync("bob");
        await bob.GotoAsync("/inbox/alice");
        await Screenshots.SaveAsync(bob, "conversation-files-phone");
        var download = await bob.RunAndWaitForDownloadAsync(() => bob.GetByRole(AriaRole.Link, new() { Name = "role.pdf" }).ClickAsync());
        Assert.Equal("role.pdf", download.SuggestedFilename);
        var saved = await download.PathAsync();
        Assert.Equal(Pdf, await File.ReadAllBytesAsync(saved, TestContext.Current.CancellationToken));

        // Bob answers with a file of his own; Alice sees it on his reply.
        await bob.GetByLabel("Your reply").FillAsync("Thanks, my CV is attached.");
        await bob.GetByLabel("Attach files").SetInputFilesAsync(new FilePayload { Name = "bob-cv.pdf", MimeType = "application/pdf", Buffer = Pdf });
        await bob.GetByRole(AriaRole.Button, new() { Name = "Reply" }).ClickAsync();
        await Expect(bob.Locator(".flash")).ToHaveTextAsync("Reply sent.");
        await page.ReloadAsync();
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "bob-cv.pdf" })).ToBeVisibleAsync();
        await Screenshots.SaveAsync(page, "conversation-files");
    }
}
