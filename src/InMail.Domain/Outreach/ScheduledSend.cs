namespace InMail.Domain.Outreach;

/// <summary>Where a scheduled send stands (SPEC §10).</summary>
public enum ScheduleStatus
{
    Pending,
    Sent,
    Refused,
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

    public string Id { get; }
    public string Owner { get; }
    public Draft Draft { get; }
    public DateTimeOffset DueAt { get; }
    public DateTimeOffset CreatedAt { get; }

    /// <summary>True when the member asked for the recipient's best window rather than an instant.</summary>
    public bool BestWindow { get; }

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
    public static string ToName(this ScheduleStatus status) => status.ToString().ToLowerInvariant();

    public static bool TryParse(string? name, out ScheduleStatus status) =>
        Enum.TryParse(name, ignoreCase: true, out status) && status.ToName() == name;
}
