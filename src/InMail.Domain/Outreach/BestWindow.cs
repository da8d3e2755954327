namespace InMail.Domain.Outreach;

/// <summary>
/// SPEC §10's best window: Tuesday, Wednesday or Thursday, 07:00–08:00 or 17:00–18:00 in the
/// recipient's time zone (UTC when they have none or it is unknown here).
/// </summary>
public static class BestWindow
{
    private static readonly DayOfWeek[] Days = [DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday];
    private static readonly int[] StartHours = [7, 17];

    /// <summary>True when an hour starting at <paramref name="hour"/> on <paramref name="day"/>, local time, is one of the windows.</summary>
    public static bool Contains(DayOfWeek day, int hour) => Days.Contains(day) && StartHours.Contains(hour);

    /// <summary>The time zone an IANA id names, or UTC.</summary>
    public static TimeZoneInfo ZoneOf(string? timeZone) =>
        timeZone is { Length: > 0 } && TimeZoneInfo.TryFindSystemTimeZoneById(timeZone, out var zone) ? zone : TimeZoneInfo.Utc;

    /// <summary>The earliest instant at or after <paramref name="now"/> inside a best window; <paramref name="now"/> itself when it is inside one.</summary>
    public static DateTimeOffset Next(DateTimeOffset now, string? timeZone)
    {
        var zone = ZoneOf(timeZone);
        var local = TimeZoneInfo.ConvertTime(now, zone);
        for (var day = 0; day <= 8; day++)
        {
            var date = local.Date.AddDays(day);
            if (!Days.Contains(date.DayOfWeek))
            {
                continue;
            }
            foreach (var hour in StartHours)
            {
                var start = Time.UtcCalendar.FromWallClock(date.AddHours(hour), zone);
                var end = Time.UtcCalendar.FromWallClock(date.AddHours(hour + 1), zone);
                if (now < start)
                {
                    return start;
                }
                if (now < end)
                {
                    return now;
                }
            }
        }
        throw new InvalidOperationException("a best window falls within every 8 days");
    }
}
