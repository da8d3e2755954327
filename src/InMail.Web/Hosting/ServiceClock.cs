namespace InMail.Web.Hosting;

/// <summary>
/// The service's one clock: the system's (or a test's) time plus an offset. In demo mode the
/// operator moves it forward to show renewals, expiries and refund windows; in test mode a script
/// sets it to each step's instant. The store never lets logged time go backwards, whatever this says.
/// </summary>
public sealed class ServiceClock(TimeProvider inner) : TimeProvider
{
    private long _offsetTicks;

    public override DateTimeOffset GetUtcNow() => inner.GetUtcNow() + Offset;

    /// <summary>
    /// The time underneath, which the operator does not move: sign-in sessions and tokens expire by
    /// it, so moving the demo clock a month ahead does not sign everyone out.
    /// </summary>
    public TimeProvider Real => inner;

    /// <summary>How far this clock is ahead of the real one.</summary>
    public TimeSpan Offset => TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));

    /// <summary>Moves the clock forward.</summary>
    public DateTimeOffset Advance(TimeSpan by)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(by, TimeSpan.Zero);
        Interlocked.Add(ref _offsetTicks, by.Ticks);
        return GetUtcNow();
    }

    /// <summary>Sets the clock to an instant (test mode, and the demo seeding its history).</summary>
    public void Set(DateTimeOffset instant) => Interlocked.Exchange(ref _offsetTicks, (instant - inner.GetUtcNow()).Ticks);

    /// <summary>Back to the real time.</summary>
    public void Reset() => Interlocked.Exchange(ref _offsetTicks, 0);
}
