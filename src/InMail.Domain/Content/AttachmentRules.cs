using System.IO.Compression;
using System.Text;
using InMail.Domain.Catalog;
using InMail.Domain.Messaging;

namespace InMail.Domain.Content;

/// <summary>
/// SPEC §11's attachments: at most three files a message, each at most 5 MB, of a type the bytes show
/// (PDF, PNG, JPEG, plain text, DOCX) whatever the name says. Everything else is
/// <c>attachment-rejected</c>. <see cref="Inspect"/> reads a file's bytes (the service, when a file is
/// uploaded); <see cref="Check"/> judges the files a send names (the engine, for every message).
/// </summary>
public static class AttachmentRules
{
    /// <summary>Judges an uploaded file: its name, its size, and the type its bytes show.</summary>
    public static Outcome<Attachment> Inspect(string? name, ReadOnlySpan<byte> bytes, Policy policy, string? id = null)
    {
        ArgumentNullException.ThrowIfNull(policy);
        if (!TryName(name, policy, out var clean, out var why))
        {
            return Rejected(why);
        }
        if (bytes.IsEmpty)
        {
            return Rejected($"“{clean}” is empty.");
        }
        if (TooLarge(clean, bytes.Length, policy) is { } tooLarge)
        {
            return tooLarge;
        }
        return TypeOf(bytes) is { } type
            ? new Attachment(clean, bytes.Length, type, id)
            : Rejected($"“{clean}” is not a PDF, PNG, JPEG, plain text or Word (DOCX) file, whatever its name says.");
    }

    /// <summary>The files of one message: at most <see cref="Policy.AttachmentsPerMessage"/>, each well named, sized and typed, no file twice.</summary>
    public static Refusal? Check(IReadOnlyList<Attachment>? attachments, Policy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        if (attachments is null || attachments.Count == 0)
        {
            return null;
        }
        if (TooMany(attachments.Count, policy) is { } tooMany)
        {
            return tooMany;
        }
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var a in attachments)
        {
            if (a is null)
            {
                return Rejected("A file is missing from the list.");
            }
            if (!TryName(a.Name, policy, out var clean, out var why) || clean != a.Name)
            {
                return Rejected(why ?? $"“{a.Name}” is not a file name.");
            }
            if (a.Size <= 0)
            {
                return Rejected($"“{a.Name}” is empty.");
            }
            if (TooLarge(a.Name, a.Size, policy) is { } tooLarge)
            {
                return tooLarge;
            }
            if (!AttachmentTypes.All.Contains(a.Type, StringComparer.Ordinal))
            {
                return Rejected($"“{a.Name}” is not a PDF, PNG, JPEG, plain text or Word (DOCX) file.");
            }
            if (a.Id is { } id && (!Identifiers.IsValid(id) || !ids.Add(id)))
            {
                return Rejected(Identifiers.IsValid(id) ? $"The file '{id}' is attached twice." : Identifiers.Rule("file id"));
            }
        }
        return null;
    }

    /// <summary>
    /// The name a file is kept under: what follows the last folder separator, trimmed. Refused when it
    /// is empty, too long, holds control characters or the direction marks that disguise a name
    /// (<c>cv‮fdp.exe</c> shows as <c>cvexe.pdf</c>).
    /// </summary>
    public static bool TryName(string? raw, Policy policy, out string name, out string? why)
    {
        ArgumentNullException.ThrowIfNull(policy);
        name = "";
        var text = raw ?? "";
        var slash = text.LastIndexOfAny(['/', '\\']);
        text = text[(slash + 1)..].Trim();
        if (text.Length == 0 || text is "." or "..")
        {
            why = "A file needs a name.";
            return false;
        }
        if (text.Length > policy.AttachmentNameMaxLength)
        {
            why = $"A file name has at most {policy.AttachmentNameMaxLength} characters.";
            return false;
        }
        if (HasLoneSurrogate(text))
        {
            why = "A file name must be valid text.";
            return false;
        }
        foreach (var rune in text.EnumerateRunes())
        {
            if (Rune.IsControl(rune) || rune.Value is >= 0x200E and <= 0x200F or >= 0x202A and <= 0x202E or >= 0x2066 and <= 0x2069)
            {
                why = "A file name may not hold control characters or direction marks.";
                return false;
            }
        }
        name = text;
        why = null;
        return true;
    }

    /// <summary>The media type the bytes show, or null for anything SPEC §11 does not accept.</summary>
    public static string? TypeOf(ReadOnlySpan<byte> bytes)
    {
        if (bytes.StartsWith("%PDF-"u8))
        {
            return AttachmentTypes.Pdf;
        }
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
        {
            return AttachmentTypes.Png;
        }
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]))
        {
            return AttachmentTypes.Jpeg;
        }
        if (bytes.StartsWith("PK\u0003\u0004"u8))
        {
            return IsDocx(bytes) ? AttachmentTypes.Docx : null;
        }
        return IsPlainText(bytes) ? AttachmentTypes.Text : null;
    }

    /// <summary>
    /// A DOCX is a ZIP package whose directory lists <c>[Content_Types].xml</c> and
    /// <c>word/document.xml</c>. Only the directory is read: nothing is inflated, so a ZIP bomb costs nothing.
    /// </summary>
    private static bool IsDocx(ReadOnlySpan<byte> bytes)
    {
        try
        {
            using var stream = new MemoryStream(bytes.ToArray(), writable: false);
            using var zip = new ZipArchive(stream, ZipArchiveMode.Read);
            var (types, document) = (false, false);
            foreach (var entry in zip.Entries)
            {
                types |= entry.FullName == "[Content_Types].xml";
                document |= entry.FullName == "word/document.xml";
            }
            return types && document;
        }
        catch (InvalidDataException)
        {
            return false;
        }
    }

    /// <summary>Plain text: valid UTF-8 (a byte order mark allowed) with no control characters but tab, line feed, form feed and carriage return.</summary>
    private static bool IsPlainText(ReadOnlySpan<byte> bytes)
    {
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            bytes = bytes[3..];
        }
        if (!System.Text.Unicode.Utf8.IsValid(bytes))
        {
            return false;
        }
        foreach (var b in bytes)
        {
            if (b is < 0x20 and not (0x09 or 0x0A or 0x0C or 0x0D) || b == 0x7F)
            {
                return false;
            }
        }
        return true;
    }

    private static bool HasLoneSurrogate(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(text[i]))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>The count rule alone: a form can refuse a fourth file before reading any.</summary>
    public static Refusal? TooMany(int count, Policy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        return count > policy.AttachmentsPerMessage
            ? Rejected($"A message carries at most {policy.AttachmentsPerMessage} files; this one has {count}.")
            : null;
    }

    /// <summary>The size rule alone: a form can refuse a file too large before reading its bytes.</summary>
    public static Refusal? TooLarge(string name, long size, Policy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        return size > policy.AttachmentMaxBytes
            ? Rejected($"“{name}” has {size:N0} bytes; a file may have at most {policy.AttachmentMaxBytes:N0} ({policy.AttachmentMaxBytes / (1024 * 1024)} MB).")
            : null;
    }

    private static Refusal Rejected(string? why) => Refuse.With(RefusalCode.AttachmentRejected, why ?? "The file was refused.");
}
