using System.Globalization;

namespace InMail.Web.Pages;

/// <summary>One quick choice of when a snooze ends or a reminder fires, with the instant it gives now.</summary>
public sealed record WakeChoice(string Id, string Label, DateTimeOffset At);

/// <summary>
/// The quick choices of the snooze and reminder menus (SPEC §11), in the member's own time zone: "Later today"
/// (three hours from now, "In 3 hours" late in the evening), "Tomorrow morning" (08:00 tomorrow, their time) and "Next week" (Monday 08:00, their
/// time), or a date and time they pick. The page only turns a choice into an instant; the engine judges it.
/// </summary>
public static class WakeChoices
{
    /// <summary>The hour of the morning the choices wake at, on the member's clock.</summary>
    public const int MorningHour = 8;

    public static IReadOnlyList<WakeChoice> For(MemberTime time)
    {
        ArgumentNullException.ThrowIfNull(time);
        var local = TimeZoneInfo.ConvertTime(time.Now, time.Zone).DateTime;
        var tomorrow = local.Date.AddDays(1).AddHours(MorningHour);
        var daysToMonday = ((int)DayOfWeek.Monday - (int)local.DayOfWeek + 7) % 7;
        var monday = local.Date.AddDays(daysToMonday == 0 ? 7 : daysToMonday).AddHours(MorningHour);
        var later = time.Now.AddHours(3);
        return
        [
            // Three hours on, to the minute; called "In 3 hours" when that is already tomorrow on their clock.
            new("later", TimeZoneInfo.ConvertTime(later, time.Zone).Date == local.Date ? "Later today" : "In 3 hours",
                new DateTimeOffset(later.Ticks - (later.Ticks % TimeSpan.TicksPerMinute), later.Offset)),
            new("tomorrow", "Tomorrow morning", Domain.Time.UtcCalendar.FromWallClock(tomorrow, time.Zone)),
            new("next-week", "Next week", Domain.Time.UtcCalendar.FromWallClock(monday, time.Zone)),
        ];
    }

    /// <summary>How a choice's instant reads on its button: "Tue 3 Mar, 08:00".</summary>
    public static string Short(MemberTime time, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(time);
        return TimeZoneInfo.ConvertTime(at, time.Zone).ToString("ddd d MMM, HH:mm", CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// The instant asked for, as the ISO-8601 text the commands take: a quick choice's, or the picker's local date and
    /// time in the member's zone; null when the picker was chosen but left empty or unreadable.
    /// </summary>
    public static string? Resolve(MemberTime time, string? choice, string? atLocal)
    {
        ArgumentNullException.ThrowIfNull(time);
        DateTimeOffset at;
        if (For(time).FirstOrDefault(c => c.Id == choice) is { } quick)
        {
            at = quick.At;
        }
        else if (DateTime.TryParse(atLocal, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
        {
            at = Domain.Time.UtcCalendar.FromWallClock(local, time.Zone);
        }
        else
        {
            return null;
        }
        return at.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
    }

    /// <summary>The picker's starting value: tomorrow morning, as a datetime-local field writes it.</summary>
    public static string PickerDefault(MemberTime time) =>
        TimeZoneInfo.ConvertTime(For(time)[1].At, time.Zone).ToString("yyyy-MM-ddTHH:mm", CultureInfo.InvariantCulture);
}

/// <summary>
/// What the snooze or reminder menu partial needs: the page handler its form posts to, the route data to come back
/// with, the conversation, an id prefix unique on the page, and the refusal to show beside it.
/// </summary>
public sealed record WakeMenu(string Handler, string Prefix, string With, string WithName, bool Reminder, MemberTime Time,
    IDictionary<string, string> Route, Domain.Refusal? Refusal, string Shortcut)
{
    /// <summary>What the menu's button says: "Snooze" or "Remind me".</summary>
    public string Name => Reminder ? "Remind me" : "Snooze";

    /// <summary>The legend over the choices.</summary>
    public string Legend => Reminder ? "Remind me if no reply by" : "Snooze until";
}
