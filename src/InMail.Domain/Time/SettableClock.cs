namespace InMail.Domain.Time;

/// <summary>
/// A <see cref="TimeProvider"/> whose time is set by its owner: the replay command, the demo clock
/// and tests. Time only moves forward, so nothing scheduled can be undone by a clock going back.
/// </summary>
public sealed class SettableClock(DateTimeOffset start) : TimeProvider
{
    private readonly Lock _gate = new();
    private DateTimeOffset _now = start.ToUniversalTime();

    /// <summary>The instant the clock was last set or advanced to (the start before that), in UTC.</summary>
    public override DateTimeOffset GetUtcNow()
    {
        lock (_gate)
        {
            return _now;
        }
    }

    /// <summary>Moves the clock to <paramref name="instant"/>; refuses to go back in time.</summary>
    public void Set(DateTimeOffset instant)
    {
        lock (_gate)
        {
            if (instant < _now)
            {
                throw new ArgumentOutOfRangeException(nameof(instant), $"the clock cannot go back from {UtcCalendar.Format(_now)} to {UtcCalendar.Format(instant)}");
            }
            _now = instant.ToUniversalTime();
        }
    }

    /// <summary>Moves the clock forward by <paramref name="by"/>.</summary>
    public void Advance(TimeSpan by)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(by, TimeSpan.Zero);
        lock (_gate)
        {
            _now += by;
        }
    }
}
