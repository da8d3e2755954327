using System.IO.Compression;
using System.Text;
using InMail.Domain.Catalog;
using InMail.Domain.Commands;
using InMail.Domain.Content;
using InMail.Domain.Inspection;
using InMail.Domain.Messaging;
using InMail.Domain.Tests.Rules;
using InMail.Domain.WorkingSet;

namespace InMail.Domain.Tests.Outreach;

/// <summary>
/// SPEC §11 attachments: the type is what the bytes show, not what the name says; three files of 5 MB at
/// most; anything else is <c>attachment-rejected</c> and changes nothing; the files stay with the message.
/// </summary>
public sealed class AttachmentTests
{
    private static readonly Policy Policy = PlanCatalog.Default.Policy;

    internal static byte[] Pdf => Encoding.ASCII.GetBytes("%PDF-1.7\n%\u00e2\u00e3\n1 0 obj << >> endobj\n%%EOF\n");

    internal static byte[] Png => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, (byte)'I', (byte)'H', (byte)'D', (byte)'R'];

    internal static byte[] Jpeg => [0xFF, 0xD8, 0xFF, 0xE0, 0, 16, (byte)'J', (byte)'F', (byte)'I', (byte)'F', 0];

    internal static byte[] Program => [(byte)'M', (byte)'Z', 0x90, 0, 3, 0, 0, 0, 4, 0, 0, 0, 0xFF, 0xFF, 0, 0];

    /// <summary>A ZIP package with the given entries (what Word writes has more, but these two make it a DOCX).</summary>
    internal static byte[] Zip(params string[] entries)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var name in entries)
            {
                using var writer = new StreamWriter(zip.CreateEntry(name).Open());
                writer.Write("<?xml version=\"1.0\"?><x/>");
            }
        }
        return buffer.ToArray();
    }

    internal static byte[] Docx => Zip("[Content_Types].xml", "_rels/.rels", "word/document.xml");

    public static TheoryData<string, byte[], string> Accepted => new()
    {
        { "cv.pdf", Pdf, AttachmentTypes.Pdf },
        { "photo.png", Png, AttachmentTypes.Png },
        { "photo.jpg", Jpeg, AttachmentTypes.Jpeg },
        { "notes.txt", Encoding.UTF8.GetBytes("Hello\tworld\r\nZürich — 東京 🌍\n"), AttachmentTypes.Text },
        { "notes-with-bom.txt", [0xEF, 0xBB, 0xBF, (byte)'h', (byte)'i'], AttachmentTypes.Text },
        { "cv.docx", Docx, AttachmentTypes.Docx },
        // The name does not decide: a PDF called .txt is a PDF, a text file called .pdf is text.
        { "cv.txt", Pdf, AttachmentTypes.Pdf },
        { "notes.pdf", Encoding.UTF8.GetBytes("just text"), AttachmentTypes.Text },
        { "C:\\Users\\rita\\Desktop\\cv.pdf", Pdf, AttachmentTypes.Pdf },
    };

    [Theory]
    [MemberData(nameof(Accepted))]
    public void The_type_is_what_the_bytes_show(string name, byte[] bytes, string type)
    {
        var file = Given.Ok(AttachmentRules.Inspect(name, bytes, Policy, "f1"));
        Assert.Equal(type, file.Type);
        Assert.Equal(bytes.Length, file.Size);
        Assert.Equal(name.Split('\\', '/')[^1], file.Name);
    }

    public static TheoryData<string, string, byte[]> Refused => new()
    {
        { "a program renamed", "offer.pdf", Program },
        { "a ZIP that is not a Word document", "cv.docx", Zip("cv.pdf", "photo.png") },
        { "a spreadsheet (XLSX)", "sheet.docx", Zip("[Content_Types].xml", "xl/workbook.xml") },
        { "a broken ZIP", "cv.docx", [.. "PK\u0003\u0004"u8.ToArray(), 1, 2, 3] },
        { "a GIF", "cat.gif", Encoding.ASCII.GetBytes("GIF89a\u0001\u0000\u0001\u0000") },
        { "text with a NUL", "notes.txt", Encoding.ASCII.GetBytes("abc\0def") },
        { "text that is not UTF-8", "notes.txt", [(byte)'c', (byte)'a', (byte)'f', 0xE9] },
        { "HTML with a script is text, but an escape character is not", "page.txt", Encoding.ASCII.GetBytes("\u001b[31mred") },
        { "an empty file", "empty.txt", [] },
        { "no name", "", Pdf },
        { "a folder for a name", "reports/", Pdf },
        { "a name that hides its end", "cv\u202Efdp.exe", Pdf },
        { "a name with a control character", "cv\u0007.pdf", Pdf },
        { "a name of 256 characters", new string('a', 252) + ".pdf", Pdf },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public void Anything_else_is_refused(string what, string name, byte[] bytes)
    {
        Assert.NotNull(what);
        Assert.Equal(RefusalCode.AttachmentRejected, AttachmentRules.Inspect(name, bytes, Policy).Refusal!.Code);
    }

    [Fact]
    public void A_name_with_half_a_character_is_refused() =>
        Assert.Equal(RefusalCode.AttachmentRejected, AttachmentRules.Inspect("cv\uD800.pdf", Pdf, Policy).Refusal!.Code);

    [Fact]
    public void Five_megabytes_is_the_most_a_file_may_have()
    {
        var most = new byte[Policy.AttachmentMaxBytes];
        Pdf.CopyTo(most, 0);
        Assert.Equal(5 * 1024 * 1024, Given.Ok(AttachmentRules.Inspect("big.pdf", most, Policy)).Size);
        var over = new byte[Policy.AttachmentMaxBytes + 1];
        Pdf.CopyTo(over, 0);
        var refusal = AttachmentRules.Inspect("big.pdf", over, Policy).Refusal!;
        Assert.Equal(RefusalCode.AttachmentRejected, refusal.Code);
        Assert.Contains("5,242,881 bytes", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_zip_bomb_is_judged_by_its_directory_without_inflating_anything()
    {
        // One entry claiming gigabytes would take minutes to inflate; only names are read.
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            using var entry = zip.CreateEntry("word/document.xml", CompressionLevel.SmallestSize).Open();
            var zeros = new byte[1 << 20];
            for (var i = 0; i < 64; i++)
            {
                entry.Write(zeros);
            }
        }
        var bytes = buffer.ToArray();
        Assert.True(bytes.Length < 100_000);
        Assert.Equal(RefusalCode.AttachmentRejected, AttachmentRules.Inspect("bomb.docx", bytes, Policy).Refusal!.Code); // no [Content_Types].xml
    }

    private static Attachment File(string name, long size = 1000, string type = AttachmentTypes.Pdf, string? id = null) => new(name, size, type, id);

    private static Given Pair()
    {
        var given = new Given().Members("rita", "sam", "bo").Subscribe("rita");
        return given;
    }

    [Fact]
    public void A_message_carries_up_to_three_files_and_a_fourth_refuses_the_send_without_charging()
    {
        var given = Pair();
        var before = given.Snapshot();
        var four = new[] { File("a.pdf"), File("b.png", type: AttachmentTypes.Png), File("c.txt", type: AttachmentTypes.Text), File("d.docx", type: AttachmentTypes.Docx) };
        var refused = given.Engine.Send(given.Now, new Draft("rita", "sam", "A role", "Interested?") { Attachments = four });
        Assert.Equal(RefusalCode.AttachmentRejected, refused.Refusal!.Code);
        Assert.Equal(before, given.Snapshot());
        Assert.Equal(15, given.Credits("rita"));

        var sent = Given.Ok(given.Engine.Send(given.Now, new Draft("rita", "sam", "A role", "Interested?") { Attachments = four[..3] }, "m1"));
        Assert.Equal(["a.pdf", "b.png", "c.txt"], sent.Message.Attachments.Select(a => a.Name).ToArray());
        Assert.Equal(["m1-file-1", "m1-file-2", "m1-file-3"], sent.Message.Attachments.Select(a => a.Id!).ToArray());
        Assert.Equal(1, sent.Quote.Cost);
        Assert.Equal(14, given.Credits("rita"));
    }

    public static TheoryData<string, Attachment> BadFiles => new()
    {
        { "too big", File("big.pdf", size: (5 * 1024 * 1024) + 1) },
        { "empty", File("empty.pdf", size: 0) },
        { "a type the bytes never show", File("run.exe", type: "application/x-msdownload") },
        { "a name with a folder", File("../../etc/passwd", type: AttachmentTypes.Text) },
        { "no name", File(" ") },
        { "an id that is not an id", File("a.pdf", id: "no spaces allowed") },
    };

    [Theory]
    [MemberData(nameof(BadFiles))]
    public void A_send_or_a_response_naming_a_bad_file_is_refused_and_changes_nothing(string what, Attachment file)
    {
        Assert.NotNull(what);
        var given = Pair();
        var before = given.Snapshot();
        Assert.Equal(RefusalCode.AttachmentRejected, given.Engine.Send(given.Now, new Draft("rita", "sam", "A role", "Interested?") { Attachments = [file] }).Refusal!.Code);
        Assert.Equal(before, given.Snapshot());

        var inmail = Given.Ok(given.Send("rita", "bo", "A role", "Interested?", "m1"));
        var afterSend = given.Snapshot();
        Assert.Equal(RefusalCode.AttachmentRejected, given.Engine.Respond(given.Now, "bo", "m1", ResponseKind.Reply, "Yes", [file]).Refusal!.Code);
        Assert.Equal(afterSend, given.Snapshot());
        Assert.Null(inmail.Message.RespondedAt);
        Assert.Equal(14, given.Credits("rita"));
    }

    [Fact]
    public void The_same_file_twice_in_one_message_is_refused()
    {
        var given = Pair();
        var twice = new[] { File("a.pdf", id: "f1"), File("a.pdf", id: "f1") };
        Assert.Equal(RefusalCode.AttachmentRejected, given.Engine.Send(given.Now, new Draft("rita", "sam", "A role", "Hi?") { Attachments = twice }).Refusal!.Code);
    }

    [Fact]
    public void Files_are_checked_after_the_text_and_before_the_cost()
    {
        var given = Pair();
        var bad = new Draft("rita", "sam", "A role", "") { Attachments = [File("x.exe", type: "application/x-msdownload")] };
        Assert.Equal(RefusalCode.BodyRequired, given.Engine.Send(given.Now, bad).Refusal!.Code);
        // Bo has no paid plan: a stranger's InMail would be refused for the plan, but the file is refused first.
        var fromBo = new Draft("bo", "sam", "A role", "Hi?") { Attachments = [File("x.exe", type: "application/x-msdownload")] };
        Assert.Equal(RefusalCode.AttachmentRejected, given.Engine.Send(given.Now, fromBo).Refusal!.Code);
    }

    [Fact]
    public void A_response_carries_files_and_still_refunds_the_InMail()
    {
        var given = Pair();
        Given.Ok(given.Send("rita", "sam", "A role", "Interested?", "m1"));
        var responded = Given.Ok(given.Engine.Respond(given.Now, "sam", "m1", ResponseKind.Accept, "My CV.", [File("cv.pdf", id: "f-cv")]));
        Assert.Equal("f-cv", Assert.Single(responded.Response.Attachments).Id);
        Assert.Equal(1, responded.CreditsRefunded);
        Assert.Equal(15, given.Credits("rita"));
    }

    [Fact]
    public void Files_survive_the_documents_and_the_logged_command_and_show_in_the_state_by_what_they_are()
    {
        var given = Pair();
        var command = new Send("rita", "sam", "A role", "Interested?", "m1", Attachments: [File("cv.pdf", 1234, id: "fabc"), File("notes.txt", 12, AttachmentTypes.Text)]);
        var json = CommandJson.Write(command);
        Assert.Contains("\"attachments\":[{\"name\":\"cv.pdf\",\"size\":1234,\"type\":\"application/pdf\",\"id\":\"fabc\"}", json, StringComparison.Ordinal);
        Assert.Equal(command.Attachments, ((Send)CommandJson.Read(json)).Attachments);
        Given.Ok(CommandJson.Read(json).Apply(given.Engine, given.Now));

        var source = new MemoryStateSource();
        source.Save(given.Engine.State);
        var reloaded = new InMailEngine(PlanCatalog.Default);
        reloaded.State.Attach(source, PlanCatalog.Default);
        var message = reloaded.State.FindMessage("m1")!;
        Assert.Equal([File("cv.pdf", 1234, id: "fabc"), File("notes.txt", 12, AttachmentTypes.Text, "m1-file-2")], message.Attachments.ToArray());
        Assert.Contains(":cv.pdf/1234/application/pdf:notes.txt/12/text/plain", StateJson.Snapshot(reloaded, given.Now, includeActivity: true), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("cv.pdf", AttachmentTypes.Pdf, "cv.pdf")]
    [InlineData("CV.PDF", AttachmentTypes.Pdf, "CV.PDF")]
    [InlineData("page.html", AttachmentTypes.Text, "page.html.txt")]
    [InlineData("photo.jpeg", AttachmentTypes.Jpeg, "photo.jpeg")]
    [InlineData("report", AttachmentTypes.Docx, "report.docx")]
    [InlineData("invoice.pdf.exe", AttachmentTypes.Pdf, "invoice.pdf.exe.pdf")]
    public void A_download_is_saved_under_a_name_that_ends_as_its_type(string name, string type, string saved) =>
        Assert.Equal(saved, AttachmentTypes.DownloadName(File(name, type: type)));
}
