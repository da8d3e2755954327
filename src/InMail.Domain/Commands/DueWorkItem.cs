namespace InMail.Domain.Commands;

/// <summary>
/// One piece of due work (SPEC §10): a scheduled send (<see cref="To"/> null, <see cref="Id"/> the
/// schedule) or an enrolment's next step (<see cref="Id"/> the sequence, <see cref="To"/> the
/// recipient), due at <see cref="At"/>; <see cref="Created"/> is when it was scheduled or enrolled. The scheduler runs it as the command <see cref="ToCommand"/> gives.
/// </summary>
public sealed record DueWorkItem(DateTimeOffset At, DateTimeOffset Created, string Owner, string Id, string? To)
{
    public Command ToCommand() => To is null ? new RunSchedule(Owner, Id) : new RunStep(Owner, Id, To);

    /// <summary>
    /// The refusal that means another server (or an earlier look) already ran it: not a failure. For
    /// a step that is also "not yet": another server ran this step and the enrolment's next one is later.
    /// </summary>
    public bool AlreadyDone(Refusal refusal)
    {
        ArgumentNullException.ThrowIfNull(refusal);
        return To is null ? refusal.Code == RefusalCode.ScheduleNotPending : refusal.Code is RefusalCode.NotEnrolled or RefusalCode.InvalidInput;
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
