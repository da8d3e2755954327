using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using InMail.Web.Pages;
using static InMail.Integration.Tests.Api.ApiClient;
using Browser = InMail.Integration.Tests.Api.ErrorPageTests.Browser;

namespace InMail.Integration.Tests.Api;

/// <summary>
/// The sequence pages' forms as a browser without script sends them (SPEC §10): the engine's refusals
/// shown beside the form with nothing saved, rows of a pasted list or a CSV file that name nobody or
/// several members, enrolment all or none, unenrolling and deleting. The browser test walks the happy path.
/// </summary>
public sealed partial class SequencePageTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void A_csv_file_gives_the_first_column_of_each_row_whatever_its_separator_quotes_or_header()
    {
        static IReadOnlyList<string> Read(string text)
        {
            var rows = RecipientList.Csv(Encoding.UTF8.GetBytes(text), out var error);
            Assert.Null(error);
            return [.. rows!.Select(r => $"{r.Text}@{r.Source}")];
        }

        Assert.Equal(["bob@file row 1", "Cher Castillo@file row 2", "dana@file row 4"], Read("bob\r\nCher Castillo\n\n dana \n"));
        Assert.Equal(["Baker, Bob@file row 2", "cher@file row 3"], Read("name,company\n\"Baker, Bob\",Contoso\ncher,Fabrikam\n"));
        Assert.Equal(["bob@file row 2", "cher@file row 3"], Read("\uFEFFMember id;Name\nbob;Bob Baker\ncher;Cher\n"));
        Assert.Empty(Read(""));
        // A stray quote ends with its line; it does not take the rows after it.
        Assert.Equal(["bob@file row 1", "cher@file row 2", "dana@file row 3"], Read("bob\n\"cher\ndana\n"));
        Assert.Equal(["bob@line 1", "Dana Diaz@line 3"], RecipientList.Pasted("bob\n  \n Dana Diaz ").Select(r => $"{r.Text}@{r.Source}"));
    }

    [Theory]
    [InlineData(Database.Sqlite)]
    [InlineData(Database.Postgres)] // names are looked up in the members table, in each database's SQL
    public async Task The_sequence_form_shows_the_engines_refusal_and_saves_nothing_and_enrolment_is_all_or_none(Database database)
    {
        await using var server = await InMailServer.StartAsync(database);
        var browser = await Browser.SignedInAsync(server, "rita");
        var rita = server.As(await server.Anonymous().SignInAsync("rita", Password));
        await server.MemberAsync("sam", "Sam Lee");
        await server.MemberAsync("sam.lee", "sam lee");
        await server.MemberAsync("tom", "Tom Tran");
        var other = await Browser.SignedInAsync(server, "vic");
        await Expect(await rita.PostAsync("/api/v1/members/rita/subscription", new { plan = "premium-business", billing = "monthly" }), HttpStatusCode.Created);
        await Expect(await rita.PutAsync("/api/v1/members/me/templates/intro", new { subject = "Hi {{firstName}}", body = "Hi {{firstName}}, open to a call?" }), HttpStatusCode.OK);

        // The engine's refusals, beside the form; nothing is saved.
        var page = await PostAsync(browser, "/sequences", [("Id", "first"), ("Steps[0].Day", "0"), ("Steps[0].Template", "nope")], HttpStatusCode.NotFound);
        Assert.Contains("Step 1: you have no template 'nope'. (unknown-template)", page, StringComparison.Ordinal);
        page = await PostAsync(browser, "/sequences", [("Id", "first"), ("Steps[0].Day", "0"), ("Steps[0].Template", "intro"), ("Steps[0].VariantB", "intro")], HttpStatusCode.BadRequest);
        Assert.Contains("(invalid-sequence)", page, StringComparison.Ordinal);
        page = await PostAsync(browser, "/sequences", [("Id", "first"), ("Steps[0].Day", "0"), ("Steps[0].Template", "intro"), ("Steps[1].Day", ""), ("Steps[1].Template", "intro")], HttpStatusCode.BadRequest);
        Assert.Contains("Step 2: give the day it runs on, counted from enrolment. (invalid-input)", page, StringComparison.Ordinal);
        page = await PostAsync(browser, "/sequences", [("Id", "first"), ("Steps[0].Day", "0"), ("Steps[0].Template", "intro"), ("Budget", "ten")], HttpStatusCode.BadRequest);
        Assert.Contains("The budget is a whole number of credits, not “ten”", page, StringComparison.Ordinal);
        Assert.Empty((await rita.GetJson("/api/v1/members/rita/sequences")).AsArray());

        var saved = await Post(browser, "/sequences", [("Id", "first"), ("Steps[0].Day", "0"), ("Steps[0].Template", "intro"), ("Steps[1].Day", "3"), ("Steps[1].Template", "intro")]);
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Equal("/sequences/first", saved.Headers.Location!.OriginalString);
        Assert.Equal(2, (await rita.GetJson("/api/v1/members/rita/sequences/first"))["steps"]!.AsArray().Count);
        // Someone else's sequence is not there for them.
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync("/sequences/first")).StatusCode);

        // A file naming nobody, a name two members share (any case), and a good row: nothing to enrol until the bad rows go.
        page = await PreviewAsync(browser, "/sequences/first", "name\nSam Lee\nNobody Here\ntom\n", pasted: "Tom Tran");
        Assert.Contains("2 members are called “Sam Lee”: write the member id of the one you mean (sam, sam.lee).", page, StringComparison.Ordinal);
        Assert.Contains("No member has the id or the name “Nobody Here”.", page, StringComparison.Ordinal);
        Assert.Contains("Tom Tran is named twice. (already-enrolled)", page, StringComparison.Ordinal);
        Assert.Contains("Nobody is enrolled while a row is bad", page, StringComparison.Ordinal);
        Assert.DoesNotContain("Start over", page, StringComparison.Ordinal); // no Enrol button

        // The engine refuses the whole list for one bad row (here, herself), and says which.
        page = await PostAsync(browser, "/sequences/first?handler=Enroll", [("Recipients", "tom"), ("Recipients", "rita")], HttpStatusCode.UnprocessableEntity);
        Assert.Contains("rita: You cannot enrol yourself. Nobody was enrolled. (self-message)", page, StringComparison.Ordinal);
        Assert.Empty((await rita.GetJson("/api/v1/members/rita/sequences/first/enrollments"))["items"]!.AsArray());

        var enrolled = await Post(browser, "/sequences/first?handler=Enroll", [("Recipients", "tom"), ("Recipients", "sam.lee")]);
        Assert.Equal(HttpStatusCode.Redirect, enrolled.StatusCode);
        Assert.Equal(2, (await rita.GetJson("/api/v1/members/rita/sequences/first"))["active"]!.GetValue<int>());

        // Not deleted while anyone is active; unenrolled, then deleted.
        page = await PostAsync(browser, "/sequences/first?handler=Delete", [], HttpStatusCode.BadRequest);
        Assert.Contains("has 2 active enrolments; unenrol them first. (invalid-sequence)", page, StringComparison.Ordinal);
        foreach (var to in new[] { "tom", "sam.lee" })
        {
            Assert.Equal(HttpStatusCode.Redirect, (await Post(browser, "/sequences/first?handler=Unenroll", [("To", to)])).StatusCode);
        }
        page = await PostAsync(browser, "/sequences/first?handler=Unenroll", [("To", "tom")], HttpStatusCode.NotFound);
        Assert.Contains("(not-enrolled)", page, StringComparison.Ordinal);
        page = Text(await (await browser.GetAsync("/sequences/first")).Content.ReadAsStringAsync(Ct));
        Assert.Contains("you unenrolled them", page, StringComparison.Ordinal);
        var deleted = await Post(browser, "/sequences/first?handler=Delete", []);
        Assert.Equal("/sequences", deleted.Headers.Location!.OriginalString);
        await Refused(await rita.GetAsync("/api/v1/members/rita/sequences/first"), HttpStatusCode.NotFound, "unknown-sequence");
    }

    [Fact]
    public async Task Hostile_recipient_files_get_a_message_beside_the_form_and_enrol_nobody()
    {
        await using var server = await InMailServer.StartAsync(Database.Sqlite);
        var browser = await Browser.SignedInAsync(server, "rita");
        var rita = server.As(await server.Anonymous().SignInAsync("rita", Password));
        await server.MemberAsync("tom", "Tom Tran");
        await Expect(await rita.PostAsync("/api/v1/members/rita/subscription", new { plan = "premium-business", billing = "monthly" }), HttpStatusCode.Created);
        await Expect(await rita.PutAsync("/api/v1/members/me/templates/intro", new { subject = "Hi {{firstName}}", body = "Hi {{firstName}}, open to a call?" }), HttpStatusCode.OK);
        Assert.Equal(HttpStatusCode.Redirect, (await Post(browser, "/sequences", [("Id", "first"), ("Steps[0].Day", "0"), ("Steps[0].Template", "intro")])).StatusCode);
        var seq = (await server.Anonymous().GetJson("/health"))["lastSeq"]!.GetValue<long>();

        var files = new (string What, byte[] Bytes, string Says)[]
        {
            ("two megabytes", Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("tom\n", 512 * 1024))), "a list of recipients fits in 1024 KB"),
            ("a picture", [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0xFF, 0xFE, 0], "could not be read as CSV"),
            ("one row of 100 KB", Encoding.ASCII.GetBytes(new string('a', 100 * 1024)), "Row 1 has 102,400 characters; no member id or name is longer than 256"),
            ("five thousand strangers", Encoding.ASCII.GetBytes(string.Concat(Enumerable.Range(0, 5000).Select(i => $"Nobody {i}\n"))), "This list has 5000 rows; one enrolment takes at most 500. Split it."),
            ("quotes that never close", Encoding.ASCII.GetBytes("\"tom\n\"\"\"\n,,,;;;\n\"a\"b\"\n"), "Nobody is enrolled while a row is bad"),
        };
        foreach (var (what, bytes, says) in files)
        {
            var token = await browser.FormTokenAsync("/sequences/first");
            using var content = new MultipartFormDataContent
            {
                { new StringContent(token), "__RequestVerificationToken" },
                { new ByteArrayContent(bytes), "Upload", "people.csv" },
            };
            var response = await browser.Http.PostAsync(new Uri("/sequences/first?handler=Preview", UriKind.Relative), content, Ct);
            var page = Text(await response.Content.ReadAsStringAsync(Ct));
            Assert.True((int)response.StatusCode is >= 200 and < 500, $"{what}: {(int)response.StatusCode}");
            Assert.True(page.Contains(says, StringComparison.Ordinal), $"{what}: {page}");
        }
        Assert.Empty((await rita.GetJson("/api/v1/members/rita/sequences/first/enrollments"))["items"]!.AsArray());
        Assert.Equal(seq, (await server.Anonymous().GetJson("/health"))["lastSeq"]!.GetValue<long>());
        Assert.DoesNotContain(server.Logs.Lines, l => l.Level >= Microsoft.Extensions.Logging.LogLevel.Error);
    }

    /// <summary>Posts a form (fields may repeat) with the page's antiforgery token and a fresh idempotency key.</summary>
    private static async Task<HttpResponseMessage> Post(Browser browser, string path, IReadOnlyList<(string Name, string Value)> fields)
    {
        var token = await browser.FormTokenAsync(path.Split('?')[0]);
        using var content = new FormUrlEncodedContent([.. fields.Select(f => KeyValuePair.Create(f.Name, f.Value)),
            KeyValuePair.Create("__RequestVerificationToken", token), KeyValuePair.Create(MemberPage.KeyField, Guid.NewGuid().ToString("N"))]);
        return await browser.Http.PostAsync(new Uri(path, UriKind.Relative), content, Ct);
    }

    /// <summary>Posts a form that must be refused with <paramref name="status"/>; the page, decoded.</summary>
    private static async Task<string> PostAsync(Browser browser, string path, IReadOnlyList<(string Name, string Value)> fields, HttpStatusCode status)
    {
        var response = await Post(browser, path, fields);
        var html = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == status, $"{path}: {(int)response.StatusCode} {html}");
        return Text(html);
    }

    /// <summary>"Preview cost" with a CSV file and a pasted list, as the form sends them (multipart).</summary>
    private static async Task<string> PreviewAsync(Browser browser, string path, string csv, string pasted)
    {
        var token = await browser.FormTokenAsync(path);
        using var content = new MultipartFormDataContent
        {
            { new StringContent(token), "__RequestVerificationToken" },
            { new StringContent(pasted), "Pasted" },
            { new ByteArrayContent(Encoding.UTF8.GetBytes(csv)), "Upload", "people.csv" },
        };
        var response = await browser.Http.PostAsync(new Uri(path + "?handler=Preview", UriKind.Relative), content, Ct);
        var html = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode} {html}");
        return Text(html);
    }

    /// <summary>A page's text as a reader sees it: tags gone, entities decoded, white space collapsed.</summary>
    private static string Text(string html) => Spaces().Replace(WebUtility.HtmlDecode(Tags().Replace(html, " ")), " ");

    [GeneratedRegex("<[^>]*>")]
    private static partial Regex Tags();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();
}
