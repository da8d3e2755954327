using System.Net;
using System.Text.RegularExpressions;
using static InMail.Integration.Tests.Api.ApiClient;
using Browser = InMail.Integration.Tests.Api.ErrorPageTests.Browser;

namespace InMail.Integration.Tests.Api;

/// <summary>
/// SPEC §11's split inbox as a browser without script reads it: a tab per label with its unread inbox
/// conversations counted from the tables on each database's SQL, the list filtered by label, and the label manager's counts.
/// </summary>
public sealed partial class LabelPageTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(Database.Sqlite)]
    [InlineData(Database.Postgres)]
    public async Task The_split_inbox_counts_unread_inbox_conversations_per_label_and_filters_by_label(Database database)
    {
        await using var server = await InMailServer.StartAsync(database);
        var op = await server.OperatorAsync();
        var browser = await Browser.SignedInAsync(server, "rita");
        var rita = server.As(await server.Anonymous().SignInAsync("rita", Password));
        foreach (var (id, name) in new[] { ("sam", "Sam Lee"), ("lee", "Lee Park"), ("ada", "Ada Obi") })
        {
            var other = await server.MemberAsync(id, name);
            await Expect(await op.PostAsync("/api/v1/operator/connections", new { a = "rita", b = id }), HttpStatusCode.NoContent);
            await Expect(await other.PostAsync("/api/v1/messages", new { to = "rita", body = $"Hello from {name}" }), HttpStatusCode.Created);
        }
        await Expect(await rita.PutAsync("/api/v1/conversations/sam/labels", new { add = new[] { "Hiring" } }), HttpStatusCode.OK);
        await Expect(await rita.PutAsync("/api/v1/conversations/lee/labels", new { add = new[] { "hiring", "Clients" } }), HttpStatusCode.OK);
        await Expect(await rita.PostAsync("/api/v1/members/me/labels", new { name = "Later" }), HttpStatusCode.Created);

        var inbox = await PageAsync(browser, "/inbox");
        Assert.Equal(["All conversations (3)", "Hiring (2)", "Clients (1)", "Later"], Tabs(inbox));

        // Reading Lee's conversation and archiving Sam's leaves nothing unread under Hiring; the tab lists the inbox's only.
        await Expect(await rita.PostAsync("/api/v1/conversations/lee/read"), HttpStatusCode.OK);
        await Expect(await rita.PutAsync("/api/v1/conversations/sam/archived", new { archived = true }), HttpStatusCode.OK);
        inbox = await PageAsync(browser, "/inbox?label=HIRING");
        Assert.Equal(["All conversations (1)", "Hiring", "Clients", "Later"], Tabs(inbox));
        Assert.Equal(["lee"], Rows(inbox));
        Assert.Equal(["sam"], Rows(await PageAsync(browser, "/inbox?filter=archive&label=Hiring")));
        Assert.Empty(Rows(await PageAsync(browser, "/inbox?filter=unread&label=Hiring")));
        Assert.Contains("You have no label “Nope”.", Text(await PageAsync(browser, "/inbox?label=Nope")), StringComparison.Ordinal);

        // The label manager counts the archive's conversations too.
        var labels = Text(await PageAsync(browser, "/labels"));
        Assert.Contains("Labels 3 of 20", labels, StringComparison.Ordinal);
        Assert.Contains("Hiring 2 conversations", labels, StringComparison.Ordinal);
        Assert.Contains("Clients 1 conversation", labels, StringComparison.Ordinal);
        Assert.Contains("Later 0 conversations", labels, StringComparison.Ordinal);
    }

    private static async Task<string> PageAsync(Browser browser, string path)
    {
        var response = await browser.GetAsync(path);
        var html = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode} {html}");
        return html;
    }

    /// <summary>The split inbox's tabs as they read, without the link to the label manager.</summary>
    private static List<string> Tabs(string html)
    {
        var nav = SplitNav().Match(html).Groups[1].Value;
        return [.. Links().Matches(nav).Select(m => Text(m.Groups[1].Value)).Where(t => t is not ("Manage labels" or "Make labels"))];
    }

    /// <summary>Whose conversations the list shows, in order.</summary>
    private static List<string> Rows(string html) => [.. Withs().Matches(html).Select(m => m.Groups[1].Value)];

    private static string Text(string html) => Spaces().Replace(WebUtility.HtmlDecode(Tags().Replace(html, " ")), " ").Trim();

    [GeneratedRegex("""<nav aria-label="Labels" class="split">(.*?)</nav>""", RegexOptions.Singleline)]
    private static partial Regex SplitNav();

    [GeneratedRegex("<a [^>]*>(.*?)</a>", RegexOptions.Singleline)]
    private static partial Regex Links();

    [GeneratedRegex("""<li [^>]*data-with="([^"]+)">""")]
    private static partial Regex Withs();

    [GeneratedRegex("<[^>]*>")]
    private static partial Regex Tags();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();
}
