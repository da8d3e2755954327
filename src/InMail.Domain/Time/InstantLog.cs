namespace InMail.Domain.Time;

/// <summary>
/// Instants of one kind of event for one member (InMails sent, invitations sent, ...), appended in
/// time order and kept only as long as the longest window that reads them. Counting never mutates.
/// </summary>
public sealed class InstantLog(TimeSpan retention)
{
    private readonly FrontTrimmedList<DateTimeOffset> _instants = new();

    /// <summary>The instants still kept, oldest first; older ones were dropped once no window could read them.</summary>
    public IReadOnlyList<DateTimeOffset> Instants => _instants;

    /// <summary>How many events fall in the rolling window (now − window, now] (SPEC §1: half-open).</summary>
    public int CountWithin(DateTimeOffset now, TimeSpan window)
    {
        // The instants are sorted: the count is (first after now) − (first after now − window).
        var from = FirstAfter(now - window);
        return from == _instants.Count ? 0 : Math.Max(0, FirstAfter(now) - from);
    }

    /// <summary>The index of the first instant strictly after <paramref name="t"/> (binary search).</summary>
    private int FirstAfter(DateTimeOffset t)
    {
        int lo = 0, hi = _instants.Count;
        while (lo < hi)
        {
            var mid = lo + ((hi - lo) / 2);
            if (_instants[mid] > t)
            {
                hi = mid;
            }
            else
            {
                lo = mid + 1;
            }
        }
        return lo;
    }

    /// <summary>The earliest instant at which the window will hold fewer than <paramref name="limit"/> events again.</summary>
    public DateTimeOffset? FreeAgainAt(DateTimeOffset now, TimeSpan window, int limit)
    {
        // The instants are sorted: those in the window are [from, end), found by binary search, not a scan
        // of the whole retention (a busy sender asks this on every refused send).
        var from = FirstAfter(now - window);
        var end = Math.Max(from, FirstAfter(now));
        if (end - from < limit || limit <= 0)
        {
            return limit <= 0 ? null : now;
        }
        // The (count − limit)th oldest must leave the window: it does so exactly `window` after it happened.
        return _instants[end - limit] + window;
    }

    internal void Add(DateTimeOffset t)
    {
        if (_instants.Count > 0 && _instants[^1] > t)
        {
            throw new InvalidOperationException("events must be logged in time order");
        }
        var keepAfter = t - retention;
        var drop = 0;
        while (drop < _instants.Count && _instants[drop] <= keepAfter)
        {
            drop++;
        }
        _instants.RemoveFirst(drop);
        _instants.Add(t);
    }
}

/// <summary>How many events of one kind a member had in one calendar month (UTC).</summary>
public sealed class MonthCounter
{
    /// <summary>The month counted, as year × 12 + month − 1 (UTC); −1 before the first event.</summary>
    public int Month { get; private set; } = -1;

    /// <summary>How many events fell in <see cref="Month"/>.</summary>
    public int CountInMonth { get; private set; }

    internal void Restore(int month, int count)
    {
        Month = month;
        CountInMonth = count;
    }

    /// <summary>How many events fell in the calendar month (UTC) holding <paramref name="now"/>; 0 in a later month.</summary>
    public int CountIn(DateTimeOffset now) => UtcCalendar.MonthKey(now) == Month ? CountInMonth : 0;

    internal void Add(DateTimeOffset now)
    {
        var month = UtcCalendar.MonthKey(now);
        if (month != Month)
        {
            Month = month;
            CountInMonth = 0;
        }
        CountInMonth = checked(CountInMonth + 1);
    }
}
