using System.Globalization;
using InMail.Domain.Catalog;

namespace InMail.Domain.Content;

/// <summary>What kind of text is being checked; each has its own limits (SPEC §5).</summary>
public enum TextKind
{
    /// <summary>A paid or open-profile InMail: subject and body required.</summary>
    InMail,

    /// <summary>A message to a fellow group member: optional subject, body required.</summary>
    GroupMessage,

    /// <summary>A message in an open conversation: no subject, a longer body.</summary>
    Message,

    /// <summary>The optional note on a connection request; its limit depends on the sender's plan.</summary>
    Note,
}

/// <summary>
/// The content checks of SPEC §5, in the spec's order. Lengths are user-perceived characters
/// (extended grapheme clusters), so an emoji with skin tone or a flag counts once.
/// </summary>
public static class TextRules
{
    /// <summary>Counts user-perceived characters (extended grapheme clusters).</summary>
    public static int Length(string? text)
    {
        // ASCII but CR LF is one cluster per character (no ASCII character extends another), and checking
        // that is vectorised: most text skips segmenting, by far the dearest step.
        var rest = text.AsSpan();
        if (System.Text.Ascii.IsValid(rest) && !rest.Contains('\r'))
        {
            return rest.Length;
        }
        // The same segmentation as StringInfo.LengthInTextElements, without its array of indexes.
        var count = 0;
        while (!rest.IsEmpty)
        {
            rest = rest[StringInfo.GetNextTextElementLength(rest)..];
            count++;
        }
        return count;
    }

    /// <summary>The first <paramref name="max"/> user-perceived characters of <paramref name="text"/> (all of it when shorter).</summary>
    public static string Cut(string text, int max)
    {
        ArgumentNullException.ThrowIfNull(text);
        var rest = text.AsSpan();
        var taken = 0;
        for (var count = 0; count < max && !rest.IsEmpty; count++)
        {
            var n = StringInfo.GetNextTextElementLength(rest);
            rest = rest[n..];
            taken += n;
        }
        return text[..taken];
    }

    /// <summary>
    /// True when the text has more than <paramref name="max"/> user-perceived characters. A cluster
    /// is at least one UTF-16 unit, so text of at most <paramref name="max"/> units is never counted:
    /// segmenting is by far the dearest step of a send.
    /// </summary>
    private static bool LongerThan(string? text, int max) => (text?.Length ?? 0) > max && Length(text) > max;

    /// <summary>Whitespace-only counts as empty.</summary>
    public static bool IsBlank(string? text) => string.IsNullOrWhiteSpace(text);

    /// <summary>
    /// True when the text holds a control character other than newline and tab, or a broken
    /// surrogate pair. A carriage return is accepted only as part of a CRLF line break, which
    /// is what browsers send for a newline in a text area.
    /// </summary>
    public static bool HasInvalidCharacters(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }
        // Printable ASCII (' ' to '~') is always valid: skip it in one vectorised search.
        var start = text.AsSpan().IndexOfAnyExceptInRange(' ', '~');
        if (start < 0)
        {
            return false;
        }
        for (var i = start; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c))
            {
                if (i + 1 >= text.Length || !char.IsLowSurrogate(text[i + 1]))
                {
                    return true;
                }
                i++;
                continue;
            }
            if (char.IsLowSurrogate(c))
            {
                return true;
            }
            if (c is '\n' or '\t')
            {
                continue;
            }
            if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
            {
                continue;
            }
            if (char.IsControl(c))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>Checks a subject and body for the given path, in SPEC §5's order; null when they pass.</summary>
    public static Refusal? Check(TextKind kind, string? subject, string? body, Policy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        // A subject sent with a message in an open conversation is ignored, so it is not checked either.
        var checkedSubject = kind == TextKind.Message ? null : subject;
        if (HasInvalidCharacters(checkedSubject) || HasInvalidCharacters(body))
        {
            return Refuse.With(RefusalCode.InvalidCharacters, "Text may not contain control characters other than newline and tab.");
        }
        var limits = ContentLimits.Of(kind, policy);
        if (limits.Subject == SubjectRule.Required && IsBlank(checkedSubject))
        {
            return Refuse.With(RefusalCode.SubjectRequired, "An InMail needs a subject.");
        }
        if (limits.Subject != SubjectRule.None && LongerThan(checkedSubject, limits.SubjectMaxLength))
        {
            return Refuse.With(RefusalCode.SubjectTooLong, $"The subject is {Length(checkedSubject)} characters; at most {limits.SubjectMaxLength} are allowed.");
        }
        if (limits.BodyRequired && IsBlank(body))
        {
            return Refuse.With(RefusalCode.BodyRequired, "The message needs a body.");
        }
        var max = limits.BodyMaxLength;
        return LongerThan(body, max)
            ? Refuse.With(RefusalCode.BodyTooLong, $"The body is {Length(body)} characters; at most {max} are allowed here.")
            : null;
    }

    /// <summary>Checks a connection-request note (optional) against the sender's plan limit.</summary>
    public static Refusal? CheckNote(string? note, bool senderPaid, Policy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        if (HasInvalidCharacters(note))
        {
            return Refuse.With(RefusalCode.InvalidCharacters, "The note may not contain control characters other than newline and tab.");
        }
        var max = ContentLimits.Of(TextKind.Note, policy, senderPaid).BodyMaxLength;
        return LongerThan(note, max)
            ? Refuse.With(RefusalCode.NoteTooLong, $"The note is {Length(note)} characters; at most {max} are allowed on your plan.")
            : null;
    }
}
