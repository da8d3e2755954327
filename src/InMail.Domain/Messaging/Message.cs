using InMail.Domain.Credits;

namespace InMail.Domain.Messaging;

/// <summary>Which way a send goes (SPEC §4), in the order the paths are tried.</summary>
public enum SendPath
{
    /// <summary>An open conversation: a 1st-degree connection, or the recipient already wrote. Free.</summary>
    Message,

    /// <summary>The recipient is on a paid plan with Open Profile on. Free, but an InMail for the limits.</summary>
    OpenProfile,

    /// <summary>A shared group, within the monthly group-message limit. Free.</summary>
    Group,

    /// <summary>A paid InMail: one credit.</summary>
    InMail,
}

/// <summary>How a recipient responded to an InMail; any response refunds.</summary>
public enum ResponseKind
{
    /// <summary>A written answer; it may answer any message, not only an InMail.</summary>
    Reply,

    /// <summary>The recipient accepts the InMail (with or without a note).</summary>
    Accept,

    /// <summary>The recipient declines the InMail; still a response, so it still refunds.</summary>
    Decline,
}

/// <summary>How the sender of an InMail judged its outcome (SPEC §9); no mark is null.</summary>
public enum SenderMark
{
    /// <summary>The conversation went well: counts toward the positive rate.</summary>
    Positive,

    /// <summary>A meeting was booked: counts toward the meeting rate, and as positive too.</summary>
    MeetingBooked,
}

/// <summary>Wire names of the messaging enums, as the scripts and the API spell them.</summary>
public static class MessagingNames
{
    /// <summary>The path's wire name: <c>message</c>, <c>open-profile</c>, <c>group</c> or <c>inmail</c>.</summary>
    public static string ToName(this SendPath path) => path switch
    {
        SendPath.Message => "message",
        SendPath.OpenProfile => "open-profile",
        SendPath.Group => "group",
        SendPath.InMail => "inmail",
        _ => throw new ArgumentOutOfRangeException(nameof(path), path, "unknown path"),
    };

    /// <summary>Reads a path's wire name (exact case); false for anything else.</summary>
    public static bool TryParsePath(string? name, out SendPath path) => TryParse(name, ToName, out path);

    /// <summary>The response's wire name: <c>reply</c>, <c>accept</c> or <c>decline</c>.</summary>
    public static string ToName(this ResponseKind kind) => kind switch
    {
        ResponseKind.Reply => "reply",
        ResponseKind.Accept => "accept",
        ResponseKind.Decline => "decline",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown response kind"),
    };

    /// <summary>Reads a response's wire name (exact case); false for anything else.</summary>
    public static bool TryParseResponse(string? name, out ResponseKind kind) => TryParse(name, ToName, out kind);

    private static bool TryParse<T>(string? name, Func<T, string> toName, out T value)
        where T : struct, Enum
    {
        foreach (var candidate in Enum.GetValues<T>())
        {
            if (toName(candidate) == name)
            {
                value = candidate;
                return true;
            }
        }
        value = default;
        return false;
    }

    /// <summary>The mark's wire name: <c>positive</c> or <c>meeting-booked</c>.</summary>
    public static string ToName(this SenderMark mark) => mark switch
    {
        SenderMark.Positive => "positive",
        SenderMark.MeetingBooked => "meeting-booked",
        _ => throw new ArgumentOutOfRangeException(nameof(mark), mark, "unknown mark"),
    };

    /// <summary>How the API and the log spell "no mark": marking with it clears the mark.</summary>
    public const string NoMark = "none";

    /// <summary>A mark's wire name, or <see cref="NoMark"/> for none.</summary>
    public static string ToName(this SenderMark? mark) => mark is { } m ? m.ToName() : NoMark;

    /// <summary>Parses a mark as the API and the log spell it; <see cref="NoMark"/> is a valid mark that clears it (null).</summary>
    public static bool TryParseMark(string? name, out SenderMark? mark)
    {
        if (name == NoMark)
        {
            mark = null;
            return true;
        }
        var ok = TryParse(name, ToName, out SenderMark parsed);
        mark = ok ? parsed : null;
        return ok;
    }

    /// <summary>The lot source's wire name: <c>allowance</c>, <c>purchase</c>, <c>bonus</c> or <c>refund</c>.</summary>
    public static string ToName(this LotSource source) => source.ToString().ToLowerInvariant();

    /// <summary>The ledger kind's wire name, e.g. <c>grant</c>, <c>spend</c>, <c>expire</c>.</summary>
    public static string ToName(this LedgerKind kind) => kind.ToString().ToLowerInvariant();
}

/// <summary>The credit a paid InMail took: which lot of which wallet, so a refund can return it there.</summary>
/// <param name="Wallet">The wallet the credit came from: the sender's own, or their team's pool.</param>
/// <param name="LotId">The lot within that wallet.</param>
/// <param name="SpentAt">When it was spent: the send, which starts the refund window.</param>
public sealed record Charge(WalletId Wallet, long LotId, DateTimeOffset SpentAt);

/// <summary>One message in a conversation. Text is stored as written; showing it escaped is the viewer's job.</summary>
public sealed class Message
{
    internal Message(string id, string from, string to, SendPath path, string? subject, string body, DateTimeOffset sentAt, Charge? charge, ResponseKind? respondsWith,
        string? template = null)
    {
        Id = id;
        From = from;
        To = to;
        Path = path;
        Subject = subject;
        Body = body;
        SentAt = sentAt;
        Charge = charge;
        RespondsWith = respondsWith;
        Template = template;
    }

    /// <summary>The message's id: the one a script or client gave, or <c>msg-N</c> when the system named it.</summary>
    public string Id { get; }

    /// <summary>The sender's member id.</summary>
    public string From { get; }

    /// <summary>The recipient's member id.</summary>
    public string To { get; }

    /// <summary>The path the send took, which decided its cost and its content limits.</summary>
    public SendPath Path { get; }

    /// <summary>
    /// The subject as written; null on an open conversation's message (a subject sent there is ignored) or when none
    /// was given.
    /// </summary>
    public string? Subject { get; }

    /// <summary>The text as written; empty for an accept or decline sent without words.</summary>
    public string Body { get; }

    /// <summary>When the message was sent.</summary>
    public DateTimeOffset SentAt { get; }

    /// <summary>The credit this message cost, for a paid InMail.</summary>
    public Charge? Charge { get; }

    /// <summary>Credits the message cost: 1 for a paid InMail, 0 otherwise (even after a refund).</summary>
    public int Cost => Charge is null ? 0 : 1;

    /// <summary>Set when this message is itself a response made with <c>respond</c> (accept, decline, reply).</summary>
    public ResponseKind? RespondsWith { get; }

    /// <summary>
    /// The id of the sender's template this message was rendered from (a direct send, a scheduled send or a
    /// sequence step that named one); null for typed text. The id as it was then: the template may since
    /// have been changed or deleted.
    /// </summary>
    public string? Template { get; }

    /// <summary>Paid and open-profile InMails are InMails for limits, responses and spam reports.</summary>
    public bool IsInMail => Path is SendPath.InMail or SendPath.OpenProfile;

    /// <summary>When the recipient first read it (or responded, which reads it); null while unread.</summary>
    public DateTimeOffset? ReadAt { get; private set; }

    /// <summary>The recipient's first response to this InMail, and when.</summary>
    public ResponseKind? Response { get; private set; }

    /// <summary>When the recipient first responded to this InMail; null while they have not.</summary>
    public DateTimeOffset? RespondedAt { get; private set; }

    /// <summary>When this InMail's credit came back, if it did.</summary>
    public DateTimeOffset? RefundedAt { get; private set; }

    /// <summary>When the recipient first reported this InMail as spam; null when never.</summary>
    public DateTimeOffset? ReportedSpamAt { get; private set; }

    /// <summary>The sender's own mark on this InMail's outcome (positive, meeting booked), if any.</summary>
    public SenderMark? Mark { get; private set; }

    internal void MarkRead(DateTimeOffset at) => ReadAt ??= at;

    internal void MarkResponded(ResponseKind kind, DateTimeOffset at)
    {
        if (Response is not null)
        {
            return;
        }
        Response = kind;
        RespondedAt = at;
        ReadAt ??= at;
    }

    internal void MarkRefunded(DateTimeOffset at) => RefundedAt = at;

    /// <summary>Sets what happened to the message since it was sent, as a working-set document recorded it.</summary>
    internal void Restore(DateTimeOffset? readAt, ResponseKind? response, DateTimeOffset? respondedAt, DateTimeOffset? refundedAt, DateTimeOffset? reportedSpamAt, SenderMark? mark)
    {
        ReadAt = readAt;
        Response = response;
        RespondedAt = respondedAt;
        RefundedAt = refundedAt;
        ReportedSpamAt = reportedSpamAt;
        Mark = mark;
    }

    internal void MarkReported(DateTimeOffset at) => ReportedSpamAt ??= at;

    internal void SetMark(SenderMark? mark) => Mark = mark;

    /// <summary>The files the message carries (SPEC §11), in the sender's order; never changes once sent.</summary>
    public IReadOnlyList<Attachment> Attachments { get; private set; } = [];

    /// <summary>Gives the message its files as it is written; a file a script named without an id gets the message's id and its place.</summary>
    internal void Attach(IReadOnlyList<Attachment>? attachments)
    {
        if (attachments is { Count: > 0 })
        {
            Attachments = attachments.Select((a, i) => a.Id is null ? a with { Id = $"{Id}-file-{i + 1}" } : a).ToArray();
        }
    }

    /// <summary>The file with this id, if the message carries it.</summary>
    public Attachment? FindAttachment(string attachmentId) => Attachments.FirstOrDefault(a => a.Id == attachmentId);
}
