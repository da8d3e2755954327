namespace InMail.Domain.Messaging;

/// <summary>The kinds of notification (SPEC §11), as the API and scenario scripts spell them.</summary>
public static class NotificationKinds
{
    public const string CreditsExpiring = "credits-expiring";
    public const string RefundWindowClosing = "refund-window-closing";
    public const string CreditsGranted = "credits-granted";
    public const string Reminder = "reminder";
    public const string ScheduleRefused = "schedule-refused";
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
    public string Kind { get; }
    public DateTimeOffset At { get; }

    /// <summary>What it is about: a message id, a schedule id, "sequence/recipient", a lot number.</summary>
    public string? About { get; }
    public string Text { get; }
    public DateTimeOffset? ReadAt { get; internal set; }
}
