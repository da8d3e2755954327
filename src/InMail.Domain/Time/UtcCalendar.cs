namespace InMail.Domain.Time;

/// <summary>
/// Calendar arithmetic on UTC instants, as SPEC §1 defines it. Months clamp to the month's end
/// and billing cycles are always computed from their anchor, never chained, so a Jan 31 anchor
/// renews on Feb 28 and then again on Mar 31.
/// </summary>
public static class UtcCalendar
{
    /// <summary>The instant <paramref name="months"/> calendar months after <paramref name="anchor"/>, clamped to the month's end.</summary>
    public static DateTimeOffset AddMonths(DateTimeOffset anchor, int months) => anchor.ToUniversalTime().AddMonths(months);

    /// <summary>N days after t is t + N×24h.</summary>
    public static DateTimeOffset AddDays(DateTimeOffset t, int days) => t + TimeSpan.FromDays(days);

    /// <summary>The calendar month (UTC) an instant falls in, as a sortable number: year×12 + month−1.</summary>
    public static int MonthKey(DateTimeOffset t)
    {
        var utc = t.UtcDateTime;
        return checked((utc.Year * 12) + utc.Month - 1);
    }

    /// <summary>The first instant of the calendar month after the one <paramref name="t"/> falls in.</summary>
    public static DateTimeOffset StartOfNextMonth(DateTimeOffset t)
    {
        var utc = t.UtcDateTime;
        return new DateTimeOffset(utc.Year, utc.Month, 1, 0, 0, 0, TimeSpan.Zero).AddMonths(1);
    }

    /// <summary>
    /// The index of the first cycle that starts strictly after <paramref name="now"/>, for cycles
    /// starting at anchor + k months. Never chains additions, so clamping never drifts.
    /// </summary>
    public static int NextCycleIndexAfter(DateTimeOffset anchor, DateTimeOffset now)
    {
        if (now < anchor)
        {
            return 0;
        }
        var a = anchor.UtcDateTime;
        var n = now.UtcDateTime;
        var k = Math.Max(0, ((n.Year - a.Year) * 12) + n.Month - a.Month - 1);
        while (AddMonths(anchor, k) <= now)
        {
            k++;
        }
        return k;
    }

    /// <summary>Formats an instant the way every output of the system does: ISO-8601 UTC with a Z.</summary>
    public static string Format(DateTimeOffset t) =>
        t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// A wall-clock time in <paramref name="zone"/> as an instant; a time a clock change skips (02:30
    /// on a spring-forward night) moves on by the change, in quarter hours, rather than failing.
    /// </summary>
    public static DateTimeOffset FromWallClock(DateTime wallClock, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var unspecified = DateTime.SpecifyKind(wallClock, DateTimeKind.Unspecified);
        while (zone.IsInvalidTime(unspecified))
        {
            unspecified = unspecified.AddMinutes(15);
        }
        return new DateTimeOffset(TimeZoneInfo.ConvertTimeToUtc(unspecified, zone), TimeSpan.Zero);
    }
}
