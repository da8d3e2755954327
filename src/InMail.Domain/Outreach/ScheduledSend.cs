namespace InMail.Domain.Outreach;

/// <summary>Where a scheduled send stands (SPEC §10).</summary>
public enum ScheduleStatus
{
    /// <summary>Waiting for its instant; the owner may still cancel it.</summary>
    Pending,

    /// <summary>Ran at its instant and sent its message.</summary>
    Sent,

    /// <summary>Ran at its instant and was refused, with the code; nothing was charged.</summary>
    Refused,

    /// <summary>Cancelled by its owner before it ran.</summary>
    Cancelled,
}

/// <summary>
/// A send a member asked for at a later instant (SPEC §10): the draft as they gave it (text or a
/// template, rendered when it runs), when it falls due, and, once it ran, its message or refusal.
/// </summary>
public sealed class ScheduledSend
{
    internal ScheduledSend(string id, string owner, Draft draft, DateTimeOffset dueAt, DateTimeOffset createdAt, bool bestWindow)
    {
        Id = id;
        Owner = owner;
        Draft = draft;
        DueAt = dueAt;
        CreatedAt = createdAt;
        BestWindow = bestWindow;
    }

    /// <summary>The id the member gave it, unique among their scheduled sends.</summary>
    public string Id { get; }

    /// <summary>The member who scheduled it, and who sends it.</summary>
    public string Owner { get; }

    /// <summary>What to send, as given: typed text or a template, rendered only when it runs.</summary>
    public Draft Draft { get; }

    /// <summary>
    /// When it runs: the instant asked for, or the earliest instant in the recipient's best window from when it was
    /// scheduled.
    /// </summary>
    public DateTimeOffset DueAt { get; }

    /// <summary>When it was scheduled; sends due at one instant run in this order.</summary>
    public DateTimeOffset CreatedAt { get; }

    /// <summary>True when the member asked for the recipient's best window rather than an instant.</summary>
    public bool BestWindow { get; }

    /// <summary>Pending until it runs or is cancelled, then sent, refused or cancelled.</summary>
    public ScheduleStatus Status { get; private set; } = ScheduleStatus.Pending;

    /// <summary>When it ran or was cancelled.</summary>
    public DateTimeOffset? EndedAt { get; private set; }

    /// <summary>The message it sent.</summary>
    public string? MessageId { get; private set; }

    /// <summary>The refusal code of its send.</summary>
    public string? Code { get; private set; }

    /// <summary>The refusal's sentence.</summary>
    public string? Reason { get; private set; }

    internal void Sent(DateTimeOffset at, string messageId) => End(ScheduleStatus.Sent, at, messageId, null, null);

    internal void Refused(DateTimeOffset at, Refusal refusal) => End(ScheduleStatus.Refused, at, null, refusal.CodeText, refusal.Message);

    internal void Cancel(DateTimeOffset at) => End(ScheduleStatus.Cancelled, at, null, null, null);

    /// <summary>Restores the outcome of a schedule read back from its member's document.</summary>
    internal void Restore(ScheduleStatus status, DateTimeOffset? endedAt, string? messageId, string? code, string? reason) =>
        (Status, EndedAt, MessageId, Code, Reason) = (status, endedAt, messageId, code, reason);

    private void End(ScheduleStatus status, DateTimeOffset at, string? messageId, string? code, string? reason) =>
        (Status, EndedAt, MessageId, Code, Reason) = (status, at, messageId, code, reason);
}

/// <summary>The wire names of <see cref="ScheduleStatus"/>.</summary>
public static class ScheduleNames
{
    /// <summary>The status's wire name: <c>pending</c>, <c>sent</c>, <c>refused</c> or <c>cancelled</c>.</summary>
    public static string ToName(this ScheduleStatus status) => status.ToString().ToLowerInvariant();

    /// <summary>Reads a status's wire name (lower case only); false for anything else.</summary>
    public static bool TryParse(string? name, out ScheduleStatus status) =>
        Enum.TryParse(name, ignoreCase: true, out status) && status.ToName() == name;
}
