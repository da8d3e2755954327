using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace InMail.Browser.Tests;

/// <summary>
/// SPEC §11 in the browser: labels put on from the inbox list and from a conversation, the split inbox's
/// tabs with their unread counts, and the label manager with the engine's refusals.
/// </summary>
public sealed class LabelTests(Chromium chromium)
{
    [Fact]
    public async Task A_recruiter_labels_from_the_list_and_the_conversation_and_a_tab_shows_its_conversations_with_their_unread_count()
    {
        await using var server = BrowserServer.Start();
        var ops = await server.OperatorAsync();
        await server.RegisterAsync("alice", "Alice Archer", "Recruiter", "Northwind");
        foreach (var (id, name) in new[] { ("bob", "Bob Baker"), ("cher", "Cher Castillo"), ("dana", "Dana Diaz") })
        {
            var other = await server.RegisterAsync(id, name);
            await server.CallAsync(ops, HttpMethod.Post, "/api/v1/operator/connections", new { a = "alice", b = id });
            await server.CallAsync(other, HttpMethod.Post, "/api/v1/messages", new { to = "alice", body = $"Hello Alice, {name} here." });
            server.Clock.Advance(TimeSpan.FromMinutes(5));
        }
        var page = await chromium.NewPageAsync(server.Address);
        await page.SignInAsync("alice");
        var conversations = page.GetByRole(AriaRole.List, new() { Name = "Conversations" });
        var tabs = page.GetByRole(AriaRole.Navigation, new() { Name = "Labels" });
        await Expect(tabs.GetByRole(AriaRole.Link)).ToHaveTextAsync(["All conversations (3)", "Make labels"]);

        // From the list: Bob's row gets a new label; Cher's the same one and another.
        var bob = conversations.Locator("li[data-with='bob']");
        await bob.Locator("summary", new() { HasText = "Labels" }).ClickAsync();
        await bob.GetByLabel("New label").FillAsync("Hiring");
        await bob.GetByRole(AriaRole.Button, new() { Name = "Save labels" }).ClickAsync();
        await Expect(page.Locator(".flash")).ToHaveTextAsync("Your conversation with Bob Baker is labelled “Hiring”.");
        await Expect(bob.Locator(".chip")).ToHaveTextAsync(["Hiring"]);
        var cher = conversations.Locator("li[data-with='cher']");
        await cher.Locator("summary", new() { HasText = "Labels" }).ClickAsync();
        await cher.GetByLabel("Hiring").CheckAsync();
        await cher.GetByLabel("New label").FillAsync("Design");
        await Screenshots.SaveAsync(page, "inbox-label-menu");
        await cher.GetByRole(AriaRole.Button, new() { Name = "Save labels" }).ClickAsync();
        await Expect(page.Locator(".flash")).ToHaveTextAsync("Your conversation with Cher Castillo is labelled “Hiring”, “Design”.");
        await Expect(cher.Locator(".chip")).ToHaveTextAsync(["Hiring", "Design"]);
        await Expect(tabs.GetByRole(AriaRole.Link)).ToHaveTextAsync(["All conversations (3)", "Hiring (2)", "Design (1)", "Manage labels"]);

        // From the conversation (which reads it): an existing label in another case, a new one, and one taken off again.
        await conversations.GetByRole(AriaRole.Link, new() { Name = "Dana Diaz" }).ClickAsync();
        var labels = page.GetByRole(AriaRole.Region, new() { Name = "Labels" });
        await Expect(labels).ToContainTextAsync("None yet");
        await labels.GetByLabel("Add a label").FillAsync("hiring");
        await labels.GetByRole(AriaRole.Button, new() { Name = "Add label" }).ClickAsync();
        await Expect(page.Locator(".flash")).ToHaveTextAsync("Labels on this conversation: “Hiring”.");
        await labels.GetByLabel("Add a label").FillAsync("Later");
        await labels.GetByRole(AriaRole.Button, new() { Name = "Add label" }).ClickAsync();
        var chips = labels.GetByRole(AriaRole.List, new() { Name = "Labels on this conversation" });
        await Expect(chips.GetByRole(AriaRole.Listitem)).ToHaveTextAsync(["Hiring ×", "Later ×"]);
        await Screenshots.SaveAsync(page, "conversation-labels");
        await labels.GetByRole(AriaRole.Button, new() { Name = "Take off the label Later" }).ClickAsync();
        await Expect(page.Locator(".flash")).ToHaveTextAsync("Labels on this conversation: “Hiring”.");
        await Expect(chips.GetByRole(AriaRole.Listitem)).ToHaveTextAsync(["Hiring ×"]);
        // A blank name is the engine's to refuse, beside the box.
        await labels.GetByRole(AriaRole.Button, new() { Name = "Add label" }).ClickAsync();
        await Expect(page.Locator("#labels-error")).ToContainTextAsync("invalid-input");

        // The Hiring tab: all three, Bob and Cher still unread (Dana's was read by opening it); its Unread filter keeps the tab.
        await page.GotoAsync("/inbox");
        await Expect(tabs.GetByRole(AriaRole.Link)).ToHaveTextAsync(["All conversations (2)", "Hiring (2)", "Design (1)", "Later", "Manage labels"]);
        await tabs.GetByRole(AriaRole.Link, new() { Name = "Hiring (2)" }).ClickAsync();
        await Expect(tabs.GetByRole(AriaRole.Link, new() { Name = "Hiring (2)" })).ToHaveAttributeAsync("aria-current", "page");
        await Expect(conversations.Locator("li")).ToHaveCountAsync(3);
        await Expect(page).ToHaveTitleAsync("(2) Inbox: Hiring · InMail");
        await Screenshots.SaveAsync(page, "inbox-tab");
        await page.GetByRole(AriaRole.Navigation, new() { Name = "Inbox filters" }).GetByRole(AriaRole.Link, new() { Name = "Unread" }).ClickAsync();
        await Expect(conversations.Locator("li")).ToHaveCountAsync(2);
        await Expect(conversations).Not.ToContainTextAsync("Dana Diaz");
        Assert.Contains("label=Hiring", page.Url, StringComparison.Ordinal);

        // Taking Hiring off Cher's from the list comes back to the same tab and filter, without her.
        await cher.Locator("summary", new() { HasText = "Labels" }).ClickAsync();
        await cher.GetByLabel("Hiring").UncheckAsync();
        await cher.GetByRole(AriaRole.Button, new() { Name = "Save labels" }).ClickAsync();
        await Expect(page.Locator(".flash")).ToHaveTextAsync("Your conversation with Cher Castillo is labelled “Design”.");
        Assert.Contains("filter=unread&label=Hiring", page.Url, StringComparison.Ordinal);
        await Expect(conversations.Locator("li")).ToHaveCountAsync(1);
        await Expect(tabs.GetByRole(AriaRole.Link, new() { Name = "Hiring (1)" })).ToBeVisibleAsync();

        var phone = await chromium.NewPageAsync(server.Address, phone: true);
        await phone.SignInAsync("alice");
        await PagesTests.CheckAsync(phone, phone: true);
        await phone.Locator("li[data-with='bob'] summary", new() { HasText = "Labels" }).ClickAsync();
        await PagesTests.CheckAsync(phone, phone: true);
        await Screenshots.SaveAsync(phone, "inbox-labels-phone");
        await phone.GotoAsync("/inbox/cher");
        await PagesTests.CheckAsync(phone, phone: true);
        await Screenshots.SaveAsync(phone, "conversation-labels-phone");
    }

    [Fact]
    public async Task Labels_are_renamed_and_deleted_on_the_label_page_and_the_twenty_first_is_refused()
    {
        await using var server = BrowserServer.Start();
        var ops = await server.OperatorAsync();
        var alice = await server.RegisterAsync("alice", "Alice Archer");
        var bob = await server.RegisterAsync("bob", "Bob Baker");
        await server.CallAsync(ops, HttpMethod.Post, "/api/v1/operator/connections", new { a = "alice", b = "bob" });
        await server.CallAsync(bob, HttpMethod.Post, "/api/v1/messages", new { to = "alice", body = "Hello Alice" });
        await server.CallAsync(alice, HttpMethod.Put, "/api/v1/conversations/bob/labels", new { add = new[] { "Hiring" } });
        var page = await chromium.NewPageAsync(server.Address);
        await page.SignInAsync("alice");
        await page.GetByRole(AriaRole.Link, new() { Name = "Manage labels" }).ClickAsync();
        await page.WaitForURLAsync("**/labels", new() { WaitUntil = WaitUntilState.Commit });
        var list = page.GetByRole(AriaRole.List, new() { Name = "Your labels" });
        await Expect(list).ToContainTextAsync("Hiring 1 conversation, 1 unread");

        // Renamed, the conversation keeps it; a name another label has is refused beside that label.
        await page.GetByLabel("New name for Hiring").FillAsync("Recruiting");
        await page.GetByRole(AriaRole.Button, new() { Name = "Rename Hiring" }).ClickAsync();
        await Expect(page.Locator(".flash")).ToHaveTextAsync("Label “Hiring” renamed “Recruiting”; its conversations keep it.");
        await Expect(list).ToContainTextAsync("Recruiting 1 conversation");
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync("Clients");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create label" }).ClickAsync();
        await Expect(page.Locator(".flash")).ToHaveTextAsync("Label “Clients” made; it is a tab of your inbox.");
        await page.GetByLabel("New name for Recruiting").FillAsync("clients");
        await page.GetByRole(AriaRole.Button, new() { Name = "Rename Recruiting" }).ClickAsync();
        var refusal = list.Locator("li[data-label='Recruiting'] .refusal");
        await Expect(refusal).ToContainTextAsync("You already have the label 'Clients'.");
        await Expect(refusal).ToContainTextAsync("(invalid-input)");
        await Expect(page.GetByLabel("New name for Recruiting")).ToHaveValueAsync("clients");
        await page.GotoAsync("/inbox");
        await Expect(page.Locator("li[data-with='bob'] .chip")).ToHaveTextAsync(["Recruiting"]);
        await Expect(page.GetByRole(AriaRole.Navigation, new() { Name = "Labels" }).GetByRole(AriaRole.Link))
            .ToHaveTextAsync(["All conversations (1)", "Recruiting (1)", "Clients", "Manage labels"]);

        // Deleted (after a question), it leaves the conversation, which stays in the inbox.
        await page.GotoAsync("/labels");
        page.Dialog += (_, dialog) => dialog.AcceptAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Delete Recruiting" }).ClickAsync();
        await Expect(page.Locator(".flash")).ToHaveTextAsync("Label “Recruiting” deleted; its conversations stay in your inbox.");
        await Expect(list.GetByRole(AriaRole.Listitem)).ToHaveCountAsync(1);
        await page.GotoAsync("/inbox");
        await Expect(page.Locator("li[data-with='bob'] .chip")).ToHaveCountAsync(0);
        await Expect(page.GetByRole(AriaRole.List, new() { Name = "Conversations" })).ToContainTextAsync("Bob Baker");

        // Twenty labels are the most: the 21st is refused on the label page and from a conversation, in the engine's words.
        for (var i = 2; i <= 20; i++)
        {
            await server.CallAsync(alice, HttpMethod.Post, "/api/v1/members/me/labels", new { name = $"Label {i}" });
        }
        await page.GotoAsync("/labels");
        await Expect(page.GetByTestId("label-count")).ToHaveTextAsync("20 of 20");
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync("One too many");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create label" }).ClickAsync();
        await Expect(page.Locator("#create-error")).ToContainTextAsync("You have 20 labels, the most there can be; delete or reuse one.");
        await Expect(page.Locator("#create-error")).ToContainTextAsync("(label-limit-reached)");
        await Expect(page.GetByLabel("Name", new() { Exact = true })).ToHaveValueAsync("One too many");
        await Expect(page.GetByTestId("label-count")).ToHaveTextAsync("20 of 20");
        await Screenshots.SaveAsync(page, "labels-limit");
        await page.GotoAsync("/inbox");
        await Expect(page.GetByRole(AriaRole.Navigation, new() { Name = "Labels" }).GetByRole(AriaRole.Link)).ToHaveCountAsync(22);
        await Screenshots.SaveAsync(page, "inbox-tabs");
        await page.GotoAsync("/inbox/bob");
        await page.GetByLabel("Add a label").FillAsync("One too many");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add label" }).ClickAsync();
        await Expect(page.Locator("#labels-error")).ToContainTextAsync("(label-limit-reached)");
        await page.GetByLabel("Add a label").FillAsync("Label 7");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add label" }).ClickAsync();
        await Expect(page.Locator(".flash")).ToHaveTextAsync("Labels on this conversation: “Label 7”.");

        var phone = await chromium.NewPageAsync(server.Address, phone: true);
        await phone.SignInAsync("alice");
        await PagesTests.CheckAsync(phone, phone: true);
        await Screenshots.SaveAsync(phone, "inbox-tabs-phone");
        await phone.GotoAsync("/labels");
        await PagesTests.CheckAsync(phone, phone: true);
        await Screenshots.SaveAsync(phone, "labels-phone");
    }
}
