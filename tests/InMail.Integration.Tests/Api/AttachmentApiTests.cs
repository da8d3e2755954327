using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using static InMail.Integration.Tests.Api.ApiClient;

namespace InMail.Integration.Tests.Api;

/// <summary>
/// Attachments over the API (SPEC §11, issue 12): upload, send, download by the conversation's two
/// members only, and a hostile pass — renamed programs, oversized and malformed bodies, other members'
/// files and conversations — that gets a 4xx with a stable code and changes nothing.
/// </summary>
public sealed class AttachmentApiTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly byte[] Pdf = Encoding.ASCII.GetBytes("%PDF-1.7\n1 0 obj << >> endobj\n%%EOF\n");
    private static readonly byte[] Png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13];
    private static readonly byte[] Program = [(byte)'M', (byte)'Z', 0x90, 0, 3, 0, 0, 0, 4, 0, 0, 0, 0xFF, 0xFF];

    private static byte[] Docx()
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var name in new[] { "[Content_Types].xml", "word/document.xml" })
            {
                using var writer = new StreamWriter(zip.CreateEntry(name).Open());
                writer.Write("<x/>");
            }
        }
        return buffer.ToArray();
    }

    private static Task<HttpResponseMessage> UploadRaw(ApiClient who, byte[] bytes, string? name, string contentType = "application/octet-stream", string member = "me")
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        var path = $"/api/v1/members/{member}/attachments" + (name is null ? "" : "?name=" + Uri.EscapeDataString(name));
        return who.Http.PostAsync(new Uri(path, UriKind.Relative), content, Ct);
    }

    private static Task<HttpResponseMessage> UploadForm(ApiClient who, params (string Name, byte[] Bytes)[] files)
    {
        var form = new MultipartFormDataContent();
        foreach (var (name, bytes) in files)
        {
            form.Add(new ByteArrayContent(bytes), "file", name);
        }
        return who.Http.PostAsync(new Uri("/api/v1/members/me/attachments", UriKind.Relative), form, Ct);
    }

    private static async Task<string> Upload(ApiClient who, byte[] bytes, string name) =>
        (await Expect(await UploadRaw(who, bytes, name), HttpStatusCode.Created))["id"]!.GetValue<string>();

    private static async Task<long> LastSeq(ApiClient anyone) => (await anyone.GetJson("/health"))["lastSeq"]!.GetValue<long>();

    [Theory]
    [InlineData(Database.Sqlite)]
    [InlineData(Database.Postgres)]
    public async Task Files_go_with_a_message_and_only_its_two_members_can_download_them(Database database)
    {
        await using var server = await InMailServer.StartAsync(database);
        var op = await server.OperatorAsync();
        var rita = await server.MemberAsync("rita", "Rita Gomez");
        var sam = await server.MemberAsync("sam", "Sam Lee");
        var pat = await server.MemberAsync("pat", "Pat Kim");
        await Expect(await rita.PostAsync("/api/v1/members/me/subscription", new { plan = "premium-business" }), HttpStatusCode.Created);

        // Raw bytes named by the query, and multipart: the type is the bytes', whatever the name or the header says.
        var upload = await UploadRaw(rita, Pdf, "role.txt", "text/plain");
        var pdf = await Expect(upload, HttpStatusCode.Created);
        Assert.Equal("application/pdf", pdf["type"]!.GetValue<string>());
        Assert.Equal(Pdf.Length, pdf["size"]!.GetValue<long>());
        Assert.Equal("role.txt", pdf["name"]!.GetValue<string>());
        Assert.Equal(pdf["href"]!.GetValue<string>(), upload.Headers.Location!.OriginalString);
        var docx = await Expect(await UploadForm(rita, ("offer.docx", Docx())), HttpStatusCode.Created);
        Assert.Equal("application/vnd.openxmlformats-officedocument.wordprocessingml.document", docx["type"]!.GetValue<string>());
        var png = await Upload(rita, Png, "team.png");

        var sent = await Expect(await rita.PostAsync("/api/v1/messages", new
        {
            to = "sam", subject = "A role", body = "Details attached. Interested?",
            attachments = new[] { pdf["id"]!.GetValue<string>(), docx["id"]!.GetValue<string>(), png },
        }, "send-1"), HttpStatusCode.Created);
        var message = sent["message"]!["id"]!.GetValue<string>();
        var files = sent["message"]!["attachments"]!.AsArray();
        Assert.Equal(["role.txt", "offer.docx", "team.png"], files.Select(f => f!["name"]!.GetValue<string>()).ToArray());
        Assert.Equal(1, sent["quote"]!["cost"]!.GetValue<int>());
        // A retry with the same key is the same send: one message, one credit.
        var again = await rita.PostAsync("/api/v1/messages", new
        {
            to = "sam", subject = "A role", body = "Details attached. Interested?",
            attachments = new[] { pdf["id"]!.GetValue<string>(), docx["id"]!.GetValue<string>(), png },
        }, "send-1");
        Assert.Equal(message, (await Expect(again, HttpStatusCode.Created))["message"]!["id"]!.GetValue<string>());
        Assert.Equal(14, (await rita.GetJson("/api/v1/members/me/credits"))["usable"]!.GetValue<int>());

        // The recipient sees the files on the message and downloads them, byte for byte.
        var seen = await sam.GetJson($"/api/v1/messages/{message}");
        Assert.Equal(3, seen["attachments"]!.AsArray().Count);
        var href = files[0]!["href"]!.GetValue<string>();
        foreach (var reader in new[] { sam, rita })
        {
            var download = await reader.GetAsync(href);
            Assert.Equal(HttpStatusCode.OK, download.StatusCode);
            Assert.Equal("application/pdf", download.Content.Headers.ContentType!.MediaType);
            Assert.Equal(Pdf, await download.Content.ReadAsByteArrayAsync(Ct));
            // Saved as what it is: the sender's name with the type's extension added.
            Assert.Equal("role.txt.pdf", download.Content.Headers.ContentDisposition!.FileNameStar);
            Assert.Equal("attachment", download.Content.Headers.ContentDisposition.DispositionType);
            Assert.Equal("nosniff", download.Headers.GetValues("X-Content-Type-Options").Single());
        }

        // Anyone else — another member, the operator — is told the message does not exist, as for every message operation.
        await Refused(await pat.GetAsync(href), HttpStatusCode.NotFound, "unknown-message");
        await Refused(await op.GetAsync(href), HttpStatusCode.NotFound, "unknown-message");
        await Refused(await pat.GetAsync($"/api/v1/messages/msg-999/attachments/{png}"), HttpStatusCode.NotFound, "unknown-message");
        await Refused(await sam.GetAsync($"/api/v1/messages/{message}/attachments/fnothere"), HttpStatusCode.NotFound, "unknown-attachment");
        // An upload is its owner's: the path of someone else's is forbidden, and by id under one's own it does not exist.
        await Refused(await pat.GetAsync($"/api/v1/members/rita/attachments/{png}"), HttpStatusCode.Forbidden, "forbidden");
        await Refused(await pat.GetAsync($"/api/v1/members/me/attachments/{png}"), HttpStatusCode.NotFound, "unknown-attachment");
        Assert.Equal(Png, await (await rita.GetAsync($"/api/v1/members/me/attachments/{png}")).Content.ReadAsByteArrayAsync(Ct));

        // Sam answers with a file: the response carries it, and Rita's credit comes back.
        var cv = await Upload(sam, Pdf, "sam-cv.pdf");
        var responded = await Expect(await sam.PostAsync($"/api/v1/messages/{message}/responses", new { kind = "accept", body = "My CV.", attachments = new[] { cv } }),
            HttpStatusCode.Created);
        Assert.Equal("sam-cv.pdf", responded["response"]!["attachments"]![0]!["name"]!.GetValue<string>());
        Assert.Equal(15, (await rita.GetJson("/api/v1/members/me/credits"))["usable"]!.GetValue<int>());
    }

    [Theory]
    [InlineData(Database.Sqlite)]
    [InlineData(Database.Postgres)]
    public async Task Hostile_uploads_and_sends_get_a_stable_refusal_and_change_nothing(Database database)
    {
        await using var server = await InMailServer.StartAsync(database);
        var rita = await server.MemberAsync("rita", "Rita Gomez");
        var sam = await server.MemberAsync("sam", "Sam Lee");
        await server.MemberAsync("pat", "Pat Kim");
        await Expect(await rita.PostAsync("/api/v1/members/me/subscription", new { plan = "premium-business" }), HttpStatusCode.Created);
        var anyone = server.Anonymous();
        var before = await LastSeq(anyone);

        await Refused(await UploadRaw(rita, Program, "offer.pdf"), HttpStatusCode.UnprocessableEntity, "attachment-rejected");
        await Refused(await UploadForm(rita, ("setup.docx", [.. "PK\u0003\u0004"u8.ToArray(), 0, 0, 0])), HttpStatusCode.UnprocessableEntity, "attachment-rejected");
        await Refused(await UploadRaw(rita, [], "empty.txt"), HttpStatusCode.UnprocessableEntity, "attachment-rejected");
        await Refused(await UploadRaw(rita, Pdf, null), HttpStatusCode.UnprocessableEntity, "attachment-rejected");
        await Refused(await UploadRaw(rita, Pdf, "cv\u202Efdp.exe"), HttpStatusCode.UnprocessableEntity, "attachment-rejected");
        var huge = new byte[(5 * 1024 * 1024) + 1];
        Pdf.CopyTo(huge, 0);
        await Refused(await UploadRaw(rita, huge, "huge.pdf"), HttpStatusCode.RequestEntityTooLarge, "attachment-rejected");
        await Refused(await UploadForm(rita, ("huge.pdf", huge)), HttpStatusCode.RequestEntityTooLarge, "attachment-rejected");
        await Refused(await UploadForm(rita, ("a.pdf", Pdf), ("b.pdf", Pdf)), HttpStatusCode.BadRequest, "invalid-input");
        using (var broken = new StringContent("--x\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.pdf\"\r\n\r\n%PDF-", Encoding.ASCII))
        {
            broken.Headers.ContentType = MediaTypeHeaderValue.Parse("multipart/form-data; boundary=x");
            await Refused(await rita.Http.PostAsync(new Uri("/api/v1/members/me/attachments", UriKind.Relative), broken, Ct), HttpStatusCode.BadRequest, "invalid-input");
        }
        await Refused(await UploadRaw(sam, Pdf, "cv.pdf", member: "rita"), HttpStatusCode.Forbidden, "forbidden");
        await Refused(await anyone.Http.PostAsync(new Uri("/api/v1/members/rita/attachments?name=a.pdf", UriKind.Relative), new ByteArrayContent(Pdf), Ct),
            HttpStatusCode.Unauthorized, "unauthenticated");

        var mine = await Upload(rita, Pdf, "cv.pdf");
        var samsFile = await Upload(sam, Pdf, "sam.pdf");
        var four = new[] { mine, await Upload(rita, Png, "a.png"), await Upload(rita, Png, "b.png"), await Upload(rita, Png, "c.png") };
        var credits = (await rita.GetJson("/api/v1/members/me/credits"))["usable"]!.GetValue<int>();
        // Another member's upload is not told apart from no upload; four files are one too many; a file twice is refused.
        await Refused(await rita.PostAsync("/api/v1/messages", new { to = "pat", subject = "Hi", body = "A role?", attachments = new[] { samsFile } }),
            HttpStatusCode.UnprocessableEntity, "attachment-rejected");
        await Refused(await rita.PostAsync("/api/v1/messages", new { to = "pat", subject = "Hi", body = "A role?", attachments = four }),
            HttpStatusCode.UnprocessableEntity, "attachment-rejected");
        await Refused(await rita.PostAsync("/api/v1/messages", new { to = "pat", subject = "Hi", body = "A role?", attachments = new[] { mine, mine } }),
            HttpStatusCode.UnprocessableEntity, "attachment-rejected");
        await Refused(await rita.PostAsync("/api/v1/messages", new { to = "pat", subject = "Hi", body = "A role?", attachments = new[] { "../../etc/passwd" } }),
            HttpStatusCode.UnprocessableEntity, "attachment-rejected");
        await Refused(await rita.PostAsync("/api/v1/messages", """{"to":"pat","subject":"Hi","body":"A role?","attachments":"cv.pdf"}"""),
            HttpStatusCode.BadRequest, "invalid-input");
        await Refused(await rita.PostAsync("/api/v1/quotes", new { to = "pat", subject = "Hi", body = "A role?", attachments = four }),
            HttpStatusCode.UnprocessableEntity, "attachment-rejected");
        Assert.Equal(credits, (await rita.GetJson("/api/v1/members/me/credits"))["usable"]!.GetValue<int>());
        Assert.Equal(0, (await rita.GetJson("/api/v1/conversations"))["total"]!.GetValue<int>());
        Assert.Equal(before, await LastSeq(anyone));

        // Files chosen and never sent are bounded: 20 waiting at once, then 429 until they are sent or a day passes.
        for (var i = 4; i < 20; i++) // four are waiting already
        {
            await Upload(rita, Pdf, $"cv-{i}.pdf");
        }
        await Refused(await UploadRaw(rita, Pdf, "one-too-many.pdf"), HttpStatusCode.TooManyRequests, "rate-limited");
        server.Clock.Advance(TimeSpan.FromHours(25));
        await Upload(rita, Pdf, "next-day.pdf");
        await Refused(await rita.GetAsync($"/api/v1/members/me/attachments/{mine}"), HttpStatusCode.NotFound, "unknown-attachment");
        Assert.Equal(before, await LastSeq(anyone));
        Assert.DoesNotContain(server.Logs.Lines, l => l.Level >= Microsoft.Extensions.Logging.LogLevel.Error);
    }

    [Theory]
    [InlineData(Database.Sqlite)]
    [InlineData(Database.Postgres)]
    public async Task Files_never_sent_expire_after_a_day_and_the_due_work_sweep_deletes_them(Database database)
    {
        await using var server = await InMailServer.StartAsync(database);
        var op = await server.OperatorAsync();
        var rita = await server.MemberAsync("rita", "Rita Gomez");
        await server.MemberAsync("pat", "Pat Kim");
        await Expect(await rita.PostAsync("/api/v1/members/me/subscription", new { plan = "premium-business" }), HttpStatusCode.Created);
        var sent = await Upload(rita, Pdf, "sent.pdf");
        var kept = await Upload(rita, Png, "forgotten.png");
        var message = (await Expect(await rita.PostAsync("/api/v1/messages", new { to = "pat", subject = "A role", body = "Hello", attachments = new[] { sent } }),
            HttpStatusCode.Created))["message"]!["id"]!.GetValue<string>();

        // A day later the unsent file can no longer be sent, and nothing is charged for trying.
        server.Clock.Advance(TimeSpan.FromHours(25));
        var credits = (await rita.GetJson("/api/v1/members/me/credits"))["usable"]!.GetValue<int>();
        var late = await Refused(await rita.PostAsync("/api/v1/messages", new { to = "pat", subject = "Again", body = "Hello", attachments = new[] { kept } }),
            HttpStatusCode.UnprocessableEntity, "attachment-rejected");
        Assert.Contains("more than a day ago", late["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(credits, (await rita.GetJson("/api/v1/members/me/credits"))["usable"]!.GetValue<int>());
        Assert.Equal(HttpStatusCode.OK, (await rita.GetAsync($"/api/v1/members/me/attachments/{kept}")).StatusCode); // still stored until the sweep

        // The due work (here the operator's clock) sweeps every member's unsent files older than a day and an hour.
        await Expect(await op.PostAsync("/api/v1/operator/clock/advance", new { hours = 1 }), HttpStatusCode.OK);
        await Refused(await rita.GetAsync($"/api/v1/members/me/attachments/{kept}"), HttpStatusCode.NotFound, "unknown-attachment");
        var download = await rita.GetAsync($"/api/v1/messages/{message}/attachments/{sent}");
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal(Pdf, await download.Content.ReadAsByteArrayAsync(Ct));
        Assert.Contains(server.Logs.Lines, l => l.Message.Contains("Deleted 1 uploaded files that were never sent", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_contract_documents_the_upload_and_the_downloads()
    {
        await using var server = await InMailServer.StartAsync(Database.Sqlite);
        var doc = await server.Anonymous().GetJson("/openapi/v1.json");
        var paths = doc["paths"]!.AsObject();
        var upload = paths["/api/v1/members/{id}/attachments"]!["post"]!;
        Assert.NotNull(upload["requestBody"]!["content"]!["multipart/form-data"]);
        Assert.NotNull(upload["responses"]!["201"]);
        Assert.NotNull(paths["/api/v1/messages/{message}/attachments/{file}"]!["get"]);
        var codes = doc.ToJsonString();
        Assert.Contains("attachment-rejected", codes, StringComparison.Ordinal);
        Assert.IsType<JsonObject>(doc["components"]!["schemas"]!["AttachmentView"]);
    }
}
