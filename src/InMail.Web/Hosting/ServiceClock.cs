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

    /// <summary>
    /// How far ahead of the time underneath the clock may go: a century. Further, every account's
    /// catch-up would walk thousands of cycles, and near year 9999 the rules' own date arithmetic
    /// (a 12-month pack, a 90-day window) would overflow and stop every write.
    /// </summary>
    public static readonly TimeSpan MaxAhead = TimeSpan.FromDays(36_525);

    /// <summary>Moves the clock forward; false, and nothing moved, when that would take it more than <see cref="MaxAhead"/> ahead.</summary>
    public bool TryAdvance(TimeSpan by, out DateTimeOffset now)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(by, TimeSpan.Zero);
        while (true)
        {
            var before = Interlocked.Read(ref _offsetTicks);
            if (by.Ticks > MaxAhead.Ticks - before)
            {
                now = GetUtcNow();
                return false;
            }
            if (Interlocked.CompareExchange(ref _offsetTicks, before + by.Ticks, before) == before)
            {
                now = GetUtcNow();
                return true;
            }
        }
    }

    /// <summary>Moves the clock forward; throws past <see cref="MaxAhead"/> (callers that take input use <see cref="TryAdvance"/>).</summary>
    public DateTimeOffset Advance(TimeSpan by) =>
        TryAdvance(by, out var now) ? now : throw new ArgumentOutOfRangeException(nameof(by), by, "the clock would go more than a century ahead");

    /// <summary>Whether the clock may be set to <paramref name="instant"/>: at most <see cref="MaxAhead"/> ahead of the time underneath.</summary>
    public bool CanSet(DateTimeOffset instant) => instant - inner.GetUtcNow() <= MaxAhead;

    /// <summary>Sets the clock to an instant (test mode, and the demo seeding its history).</summary>
    public void Set(DateTimeOffset instant)
    {
        if (!CanSet(instant))
        {
            throw new ArgumentOutOfRangeException(nameof(instant), instant, "the clock would go more than a century ahead");
        }
        Interlocked.Exchange(ref _offsetTicks, (instant - inner.GetUtcNow()).Ticks);
    }

    /// <summary>Back to the real time.</summary>
    public void Reset() => Interlocked.Exchange(ref _offsetTicks, 0);
}
