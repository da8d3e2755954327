namespace InMail.Domain.Messaging;

/// <summary>
/// A file a message carries (SPEC §11), as the message knows it: what the service stored the bytes
/// under, the name the sender gave, its size in bytes and the type the bytes showed. The bytes never
/// enter the engine: the service stores them before the send and streams them to a download.
/// </summary>
/// <param name="Name">The file's name as the sender gave it, without any folder.</param>
/// <param name="Size">Bytes.</param>
/// <param name="Type">The media type the bytes showed: one of <see cref="AttachmentTypes.All"/>.</param>
/// <param name="Id">The stored file's id (the service's upload id; a scenario script may leave it out and get one).</param>
public sealed record Attachment(string Name, long Size, string Type, string? Id = null);

/// <summary>The file types a message may carry (SPEC §11), by media type, with the extension a download gets when the name lacks it.</summary>
public static class AttachmentTypes
{
    /// <summary>A PDF: the bytes start with <c>%PDF-</c>.</summary>
    public const string Pdf = "application/pdf";

    /// <summary>A PNG image: the bytes start with its 8-byte signature.</summary>
    public const string Png = "image/png";

    /// <summary>A JPEG image: the bytes start with <c>FF D8 FF</c>.</summary>
    public const string Jpeg = "image/jpeg";

    /// <summary>Plain text: valid UTF-8 without control characters but tab, line feed, form feed and carriage return.</summary>
    public const string Text = "text/plain";

    /// <summary>A Word document: a ZIP package whose directory lists <c>[Content_Types].xml</c> and <c>word/document.xml</c>.</summary>
    public const string Docx = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

    /// <summary>Every accepted media type, in SPEC §11's order.</summary>
    public static IReadOnlyList<string> All { get; } = [Pdf, Png, Jpeg, Text, Docx];

    /// <summary>The extensions a name of this type may end with; the first is the one added when it ends with none of them.</summary>
    public static IReadOnlyList<string> ExtensionsOf(string type) => type switch
    {
        Pdf => [".pdf"],
        Png => [".png"],
        Jpeg => [".jpg", ".jpeg", ".jpe"],
        Text => [".txt", ".text", ".csv", ".md", ".log"],
        Docx => [".docx"],
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "not an attachment type"),
    };

    /// <summary>What a person calls the type: "PDF", "PNG image"…</summary>
    public static string Describe(string type) => type switch
    {
        Pdf => "PDF",
        Png => "PNG image",
        Jpeg => "JPEG image",
        Text => "Text",
        Docx => "Word document",
        _ => type,
    };

    /// <summary>
    /// The name a download is saved under: the sender's name, with the type's extension added when the
    /// name does not already end with one of them — so a text file named <c>page.html</c> is saved as
    /// <c>page.html.txt</c> and never opens as something the bytes are not.
    /// </summary>
    public static string DownloadName(Attachment attachment)
    {
        ArgumentNullException.ThrowIfNull(attachment);
        var extensions = ExtensionsOf(attachment.Type);
        return extensions.Any(x => attachment.Name.EndsWith(x, StringComparison.OrdinalIgnoreCase))
            ? attachment.Name
            : attachment.Name + extensions[0];
    }
}
