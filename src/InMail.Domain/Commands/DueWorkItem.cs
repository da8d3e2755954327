namespace InMail.Domain.Commands;

/// <summary>What a piece of due work is: a scheduled send, a sequence step, a snooze's end, a reminder.</summary>
public enum DueWorkKind
{
    /// <summary>A scheduled send falls due (run as <see cref="RunSchedule"/>).</summary>
    Schedule,

    /// <summary>An enrolment's next sequence step falls due (run as <see cref="RunStep"/>).</summary>
    Step,

    /// <summary>A snoozed conversation's snooze ends (run as <see cref="RunTimer"/>).</summary>
    Snooze,

    /// <summary>A "remind me" on a conversation falls due (run as <see cref="RunTimer"/>).</summary>
    Reminder,
}

/// <summary>
/// One piece of due work (SPEC §10, §11): a scheduled send (<see cref="To"/> null, <see cref="Id"/> the
/// schedule) or an enrolment's next step (<see cref="Id"/> the sequence, <see cref="To"/> the
/// recipient), or a conversation timer (<see cref="Id"/> "snooze" or "reminder", <see cref="To"/> the other member), due at <see cref="At"/>; <see cref="Created"/> is when it was scheduled or enrolled. The scheduler runs it as the command <see cref="ToCommand"/> gives.
/// </summary>
/// <param name="At">When the work falls due; it never runs earlier.</param>
/// <param name="Created">When it was scheduled, enrolled or set; breaks ties between work due at one instant.</param>
/// <param name="Owner">The member whose work it is.</param>
/// <param name="Id">The schedule's id, the sequence's id, or the timer's kind (<c>snooze</c> or <c>reminder</c>).</param>
/// <param name="To">The recipient of a step, or the other member of a timer's conversation; null for a scheduled send.</param>
/// <param name="Kind">A scheduled send, a sequence step, a snooze's end or a reminder.</param>
public sealed record DueWorkItem(DateTimeOffset At, DateTimeOffset Created, string Owner, string Id, string? To, DueWorkKind Kind)
{
    /// <summary>
    /// The command that runs this work, as the scheduler logs it: <see cref="RunSchedule"/>, <see cref="RunStep"/> or
    /// <see cref="RunTimer"/>.
    /// </summary>
    public Command ToCommand() => Kind switch
    {
        DueWorkKind.Schedule => new RunSchedule(Owner, Id),
        DueWorkKind.Step => new RunStep(Owner, Id, To!),
        _ => new RunTimer(Owner, To!, Id),
    };

    /// <summary>
    /// The refusal that means another server (or an earlier look) already ran it: not a failure. For
    /// a step that is also "not yet": another server ran this step and the enrolment's next one is later.
    /// </summary>
    public bool AlreadyDone(Refusal refusal)
    {
        ArgumentNullException.ThrowIfNull(refusal);
        return Kind switch
        {
            DueWorkKind.Schedule => refusal.Code == RefusalCode.ScheduleNotPending,
            DueWorkKind.Step => refusal.Code is RefusalCode.NotEnrolled or RefusalCode.InvalidInput,
            _ => refusal.Code == RefusalCode.InvalidInput, // the snooze ended or the reminder ran (or was cancelled) already
        };
    }

    /// <summary>The order due work runs in: instant, creation, owner, schedule or sequence id, recipient (the database's order too).</summary>
    public static IComparer<DueWorkItem> Order { get; } = Comparer<DueWorkItem>.Create((a, b) =>
    {
        var c = a.At.CompareTo(b.At);
        c = c != 0 ? c : a.Created.CompareTo(b.Created);
        c = c != 0 ? c : string.CompareOrdinal(a.Owner, b.Owner);
        c = c != 0 ? c : string.CompareOrdinal(a.Id, b.Id);
        return c != 0 ? c : string.CompareOrdinal(a.To ?? "", b.To ?? "");
    });
}
