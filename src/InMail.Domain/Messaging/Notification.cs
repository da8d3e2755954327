namespace InMail.Domain.Messaging;

/// <summary>The kinds of notification (SPEC §11), as the API and scenario scripts spell them.</summary>
public static class NotificationKinds
{
    /// <summary>A lot that still holds credits expires in 7 days (by default).</summary>
    public const string CreditsExpiring = "credits-expiring";

    /// <summary>A paid InMail with no response yet reaches the end of its refund window in 7 days (by default).</summary>
    public const string RefundWindowClosing = "refund-window-closing";

    /// <summary>A personal plan's allowance was granted at the start of a cycle (a grant of nothing is not announced).</summary>
    public const string CreditsGranted = "credits-granted";

    /// <summary>A "remind me" on a conversation fell due.</summary>
    public const string Reminder = "reminder";

    /// <summary>A scheduled send was refused at its instant, with the refusal's code; nothing was charged.</summary>
    public const string ScheduleRefused = "schedule-refused";

    /// <summary>An enrolment in a sequence stopped for any reason but a response or an unenrol.</summary>
    public const string SequenceStopped = "sequence-stopped";
}

/// <summary>
/// Something a member is told once (SPEC §11), stamped with the instant its cause fell due, not the
/// instant anyone looked: its kind, what it is about (a lot, a message, a schedule, a sequence and
/// recipient), a sentence, and when the member read it.
/// </summary>
public sealed class Notification
{
    internal Notification(long id, string kind, DateTimeOffset at, string? about, string text)
    {
        Id = id;
        Kind = kind;
        At = at;
        About = about;
        Text = text;
    }

    /// <summary>Numbers the member's notifications in the order they were made.</summary>
    public long Id { get; }

    /// <summary>What happened: one of <see cref="NotificationKinds"/>.</summary>
    public string Kind { get; }

    /// <summary>When its cause fell due (a lot's warning instant, a reminder's instant), not when anyone looked.</summary>
    public DateTimeOffset At { get; }

    /// <summary>What it is about: a message id, a schedule id, "sequence/recipient", a lot number.</summary>
    public string? About { get; }

    /// <summary>The sentence shown to the member.</summary>
    public string Text { get; }

    /// <summary>When the member marked it read; null while unread.</summary>
    public DateTimeOffset? ReadAt { get; internal set; }
}
