using InMail.Domain.Catalog;
using InMail.Domain.Time;

namespace InMail.Domain.Credits;

/// <summary>
/// A paid plan held by a member or a team. Cycle k starts at <see cref="Anchor"/> + k months, always
/// computed from the anchor. A cancellation is a scheduled end, not an immediate one.
/// </summary>
public sealed class Subscription
{
    internal Subscription(Plan plan, BillingPeriod billing, DateTimeOffset anchor)
    {
        Plan = plan;
        Billing = billing;
        Anchor = anchor;
    }

    /// <summary>The plan paid for, which sets the credits per cycle, the cap and the daily limit.</summary>
    public Plan Plan { get; }

    /// <summary>How it is paid for, which decides when a cancellation takes effect.</summary>
    public BillingPeriod Billing { get; }

    /// <summary>
    /// When the subscription started: cycle 0 starts here and every later cycle is counted from it (a plan change
    /// starts a new subscription).
    /// </summary>
    public DateTimeOffset Anchor { get; }

    /// <summary>The index of the next cycle whose allowance has not been granted yet.</summary>
    public int NextCycle { get; private set; }

    /// <summary>When the subscription ends (set by a cancel: the end of the paid period).</summary>
    public DateTimeOffset? EndsAt { get; private set; }

    /// <summary>
    /// When cycle <paramref name="cycle"/> (0 first) starts: the anchor plus that many calendar months, clamped to a
    /// short month's end.
    /// </summary>
    public DateTimeOffset CycleStart(int cycle) => UtcCalendar.AddMonths(Anchor, cycle);

    /// <summary>When the next allowance grant is due.</summary>
    public DateTimeOffset NextGrantAt => CycleStart(NextCycle);

    /// <summary>The start of the cycle that holds <paramref name="t"/>.</summary>
    public int CycleAt(DateTimeOffset t) => Math.Max(0, UtcCalendar.NextCycleIndexAfter(Anchor, t) - 1);

    /// <summary>The end of the paid period that holds <paramref name="t"/>: the cycle's end, or on annual billing the year's.</summary>
    public DateTimeOffset PaidPeriodEnd(DateTimeOffset t)
    {
        var next = UtcCalendar.NextCycleIndexAfter(Anchor, t);
        if (Billing == BillingPeriod.Annual)
        {
            next = checked((next + 11) / 12 * 12);
        }
        return CycleStart(next);
    }

    internal void Restore(int nextCycle, DateTimeOffset? endsAt)
    {
        NextCycle = nextCycle;
        EndsAt = endsAt;
    }

    internal void MarkGranted() => NextCycle = checked(NextCycle + 1);

    internal void ScheduleEnd(DateTimeOffset at) => EndsAt = at;

    internal void Resume() => EndsAt = null;
}
