using System.Globalization;

namespace InMail.Web.Pages;

/// <summary>
/// Instants as a member reads them: in their own time zone (their profile's; UTC without one), and
/// for the last day relative to now ("3 hours ago"). The rules' calendar stays UTC; only the words change.
/// </summary>
public sealed class MemberTime
{
    public MemberTime(DateTimeOffset now, string? timeZone)
    {
        Now = now;
        Zone = Find(timeZone);
        ZoneName = Zone == TimeZoneInfo.Utc ? "UTC" : timeZone!;
    }

    /// <summary>The service clock's now, from which "ago" is counted.</summary>
    public DateTimeOffset Now { get; }

    public TimeZoneInfo Zone { get; }

    /// <summary>"UTC", or the IANA name of the member's zone.</summary>
    public string ZoneName { get; }

    /// <summary>Within the last day, how long ago; otherwise the local date and time with the zone.</summary>
    public string When(DateTimeOffset t)
    {
        var ago = Now - t;
        if (ago < TimeSpan.Zero || ago >= TimeSpan.FromDays(1))
        {
            return Absolute(t);
        }
        return ago.TotalMinutes < 1 ? "just now"
            : ago.TotalMinutes < 2 ? "1 minute ago"
            : ago.TotalHours < 1 ? string.Create(CultureInfo.InvariantCulture, $"{(int)ago.TotalMinutes} minutes ago")
            : ago.TotalHours < 2 ? "1 hour ago"
            : string.Create(CultureInfo.InvariantCulture, $"{(int)ago.TotalHours} hours ago");
    }

    /// <summary>The local date and time with the zone: "2026-03-02 10:00 Europe/Paris", "2026-03-02 09:00 UTC".</summary>
    public string Absolute(DateTimeOffset t) =>
        TimeZoneInfo.ConvertTime(t, Zone).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + " " + ZoneName;

    /// <summary>The local date.</summary>
    public string Day(DateTimeOffset t) => TimeZoneInfo.ConvertTime(t, Zone).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>An instant as a clock in <paramref name="timeZone"/> shows it, with the zone ("Tuesday 07:00 (America/New_York)").</summary>
    public static string LocalAt(DateTimeOffset t, string? timeZone)
    {
        var zone = Find(timeZone);
        return $"{TimeZoneInfo.ConvertTime(t, zone).ToString("dddd HH:mm", CultureInfo.InvariantCulture)} ({(zone == TimeZoneInfo.Utc ? "UTC" : zone.Id)})";
    }

    /// <summary>What the clock says now for someone in <paramref name="timeZone"/>: "Tuesday 08:15 (Europe/Paris)".</summary>
    public static string LocalNow(DateTimeOffset now, string? timeZone) => LocalAt(now, timeZone);

    /// <summary>The zone named by a profile; UTC when it has none or the system does not know it.</summary>
    public static TimeZoneInfo Find(string? timeZone) => Domain.Outreach.BestWindow.ZoneOf(timeZone);
}
