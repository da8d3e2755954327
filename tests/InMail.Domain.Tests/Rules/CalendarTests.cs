using InMail.Domain.Credits;
using InMail.Domain.Time;
using static InMail.Domain.Tests.Rules.Given;

namespace InMail.Domain.Tests.Rules;

/// <summary>SPEC §1: instants, days, calendar months, cycles, windows and the order of things due at one instant.</summary>
public sealed class CalendarTests
{
    [Fact]
    public void A_day_is_24_hours()
    {
        Assert.Equal(Utc(2026, 4, 5), UtcCalendar.AddDays(Utc(2026, 1, 5), 90));
        Assert.Equal(Utc(2026, 3, 9, 13, 0, 0), UtcCalendar.AddDays(Utc(2026, 3, 8, 13, 0, 0), 1));
    }

    [Fact]
    public void Adding_a_month_to_Jan_31_clamps_to_Feb_28_in_a_common_year()
    {
        Assert.Equal(Utc(2026, 2, 28, 12, 0, 0), UtcCalendar.AddMonths(Utc(2026, 1, 31, 12, 0, 0), 1));
    }

    [Fact]
    public void Adding_a_month_to_Jan_31_clamps_to_Feb_29_in_a_leap_year()
    {
        Assert.Equal(Utc(2028, 2, 29), UtcCalendar.AddMonths(Utc(2028, 1, 31), 1));
    }

    [Fact]
    public void Adding_months_converts_a_non_UTC_instant_to_UTC_first()
    {
        var local = new DateTimeOffset(2026, 2, 1, 1, 0, 0, TimeSpan.FromHours(2)); // Jan 31 23:00 UTC
        Assert.Equal(Utc(2026, 2, 28, 23, 0, 0), UtcCalendar.AddMonths(local, 1));
    }

    [Fact]
    public void Cycles_anchored_on_Jan_31_start_on_Feb_28_then_Mar_31_computed_from_the_anchor_never_chained()
    {
        var given = new Given().Members("rita").At(Utc(2026, 1, 31, 12, 0, 0)).Subscribe("rita", "recruiter-lite");
        var sub = given.Member("rita").Subscription!;

        Assert.Equal(Utc(2026, 1, 31, 12, 0, 0), sub.CycleStart(0));
        Assert.Equal(Utc(2026, 2, 28, 12, 0, 0), sub.CycleStart(1));
        Assert.Equal(Utc(2026, 3, 31, 12, 0, 0), sub.CycleStart(2)); // chained it would be Mar 28
        Assert.Equal(Utc(2026, 4, 30, 12, 0, 0), sub.CycleStart(3));
        Assert.Equal(Utc(2027, 1, 31, 12, 0, 0), sub.CycleStart(12));
    }

    [Fact]
    public void A_Jan_31_subscriber_is_granted_on_Feb_28_and_then_on_Mar_31()
    {
        var given = new Given().Members("rita").At(Utc(2026, 1, 31, 12, 0, 0)).Subscribe("rita", "recruiter-lite");

        Assert.Equal(30, given.At(Utc(2026, 2, 28, 11, 59, 59)).Credits("rita"));
        Assert.Equal(60, given.At(Utc(2026, 2, 28, 12, 0, 0)).Credits("rita"));
        Assert.Equal(60, given.At(Utc(2026, 3, 31, 11, 59, 59)).Credits("rita"));
        Assert.Equal(90, given.At(Utc(2026, 3, 31, 12, 0, 0)).Credits("rita"));

        var grants = given.Ledger("rita").Where(e => e.Kind == LedgerKind.Grant).Select(e => e.At).ToList();
        Assert.Equal([Utc(2026, 1, 31, 12, 0, 0), Utc(2026, 2, 28, 12, 0, 0), Utc(2026, 3, 31, 12, 0, 0)], grants);
    }

    [Fact]
    public void A_Jan_31_subscriber_in_a_leap_year_is_granted_on_Feb_29()
    {
        var given = new Given().At(Utc(2028, 1, 31)).Members("lea").Subscribe("lea", "premium-career");

        Assert.Equal(5, given.At(Utc(2028, 2, 28, 23, 59, 59)).Credits("lea"));
        Assert.Equal(10, given.At(Utc(2028, 2, 29)).Credits("lea"));
        Assert.Equal(15, given.At(Utc(2028, 3, 31)).Credits("lea"));
        var grants = given.Ledger("lea").Where(e => e.Kind == LedgerKind.Grant).Select(e => e.At).ToList();
        Assert.Equal([Utc(2028, 1, 31), Utc(2028, 2, 29), Utc(2028, 3, 31)], grants);
    }

    [Theory]
    [InlineData("2026-01-31T12:00:00Z", "2026-01-31T12:00:00Z", 1)]
    [InlineData("2026-01-31T12:00:00Z", "2026-02-28T11:59:59Z", 1)]
    [InlineData("2026-01-31T12:00:00Z", "2026-02-28T12:00:00Z", 2)]
    [InlineData("2026-01-31T12:00:00Z", "2026-03-30T00:00:00Z", 2)]
    [InlineData("2026-01-31T12:00:00Z", "2026-03-31T12:00:00Z", 3)]
    [InlineData("2026-01-31T12:00:00Z", "2026-01-01T00:00:00Z", 0)]
    [InlineData("2026-01-05T00:00:00Z", "2027-01-05T00:00:00Z", 13)]
    public void The_next_cycle_after_an_instant_is_the_first_that_starts_strictly_after_it(string anchor, string now, int expected)
    {
        Assert.Equal(expected, UtcCalendar.NextCycleIndexAfter(DateTimeOffset.Parse(anchor, System.Globalization.CultureInfo.InvariantCulture), DateTimeOffset.Parse(now, System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void A_calendar_month_runs_from_the_first_at_midnight_UTC()
    {
        Assert.Equal(UtcCalendar.MonthKey(Utc(2026, 1, 1)), UtcCalendar.MonthKey(Utc(2026, 1, 31, 23, 59, 59)));
        Assert.NotEqual(UtcCalendar.MonthKey(Utc(2026, 1, 31, 23, 59, 59)), UtcCalendar.MonthKey(Utc(2026, 2, 1)));
        Assert.Equal(Utc(2027, 1, 1), UtcCalendar.StartOfNextMonth(Utc(2026, 12, 31, 23, 59, 59)));
    }

    [Fact]
    public void Instants_are_formatted_as_ISO_8601_UTC_with_a_Z()
    {
        Assert.Equal("2026-02-28T12:00:00Z", UtcCalendar.Format(new DateTimeOffset(2026, 2, 28, 13, 0, 0, TimeSpan.FromHours(1))));
    }

    [Fact]
    public void A_rolling_window_is_half_open_so_what_happened_exactly_W_ago_no_longer_counts()
    {
        var log = new InstantLog(TimeSpan.FromDays(31));
        log.Add(Utc(2026, 1, 5));
        log.Add(Utc(2026, 1, 5, 6, 0, 0));
        var day = TimeSpan.FromHours(24);

        Assert.Equal(2, log.CountWithin(Utc(2026, 1, 5, 23, 59, 59), day));
        Assert.Equal(1, log.CountWithin(Utc(2026, 1, 6), day));
        Assert.Equal(0, log.CountWithin(Utc(2026, 1, 6, 6, 0, 0), day));
        Assert.Equal(0, log.CountWithin(Utc(2026, 1, 4, 23, 59, 59), day)); // nothing after now counts
    }

    [Fact]
    public void A_full_window_frees_up_exactly_W_after_the_oldest_event_in_it()
    {
        var log = new InstantLog(TimeSpan.FromDays(31));
        log.Add(Utc(2026, 1, 5, 1, 0, 0));
        log.Add(Utc(2026, 1, 5, 2, 0, 0));
        log.Add(Utc(2026, 1, 5, 3, 0, 0));
        var day = TimeSpan.FromHours(24);

        Assert.Equal(Utc(2026, 1, 6, 1, 0, 0), log.FreeAgainAt(Utc(2026, 1, 5, 4, 0, 0), day, 3));
        Assert.Equal(Utc(2026, 1, 6, 2, 0, 0), log.FreeAgainAt(Utc(2026, 1, 5, 4, 0, 0), day, 2));
    }

    [Fact]
    public void Events_must_be_logged_in_time_order()
    {
        var log = new InstantLog(TimeSpan.FromDays(31));
        log.Add(Utc(2026, 1, 5));
        Assert.Throws<InvalidOperationException>(() => log.Add(Utc(2026, 1, 4)));
    }

    [Fact]
    public void A_month_counter_starts_again_each_calendar_month()
    {
        var counter = new MonthCounter();
        counter.Add(Utc(2026, 1, 31, 23, 59, 59));
        counter.Add(Utc(2026, 1, 31, 23, 59, 59));

        Assert.Equal(2, counter.CountIn(Utc(2026, 1, 15)));
        Assert.Equal(0, counter.CountIn(Utc(2026, 2, 1)));
        counter.Add(Utc(2026, 2, 1));
        Assert.Equal(1, counter.CountIn(Utc(2026, 2, 1)));
    }

    [Fact]
    public void The_settable_clock_moves_only_forward()
    {
        var clock = new SettableClock(Utc(2026, 1, 5));
        clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(Utc(2026, 1, 5, 1, 0, 0), clock.GetUtcNow());
        clock.Set(Utc(2026, 2, 1));
        Assert.Equal(Utc(2026, 2, 1), clock.GetUtcNow());

        Assert.Throws<ArgumentOutOfRangeException>(() => clock.Set(Utc(2026, 1, 31)));
        Assert.Throws<ArgumentOutOfRangeException>(() => clock.Advance(TimeSpan.FromSeconds(-1)));
        Assert.Equal(Utc(2026, 2, 1), clock.GetUtcNow());
    }

    [Fact]
    public void At_the_same_instant_an_expiry_happens_before_a_grant_so_the_grant_is_not_clipped()
    {
        // Premium Career: 5 a cycle, cap 15. Anchored Jan 5, the Jan lot expires Apr 5 (90 days), the
        // instant cycle 3 starts. Expiry first leaves 10 live, so the Apr grant is a full 5.
        var given = new Given().Members("cara").Subscribe("cara", "premium-career");
        Assert.Equal(15, given.At(Utc(2026, 4, 4, 23, 59, 59)).Credits("cara"));

        given.At(Utc(2026, 4, 5));

        Assert.Equal(15, given.Credits("cara"));
        Assert.Equal(
            [(LotSource.Allowance, 5, Utc(2026, 5, 6)), (LotSource.Allowance, 5, Utc(2026, 6, 3)), (LotSource.Allowance, 5, Utc(2026, 7, 4))],
            given.Lots("cara"));
        var last = given.Ledger("cara").TakeLast(2).ToList();
        Assert.Equal((LedgerKind.Expire, -5), (last[0].Kind, last[0].Delta));
        Assert.Equal((LedgerKind.Grant, 5), (last[1].Kind, last[1].Delta));
        Assert.Equal(Utc(2026, 4, 5), last[0].At);
        Assert.Equal(Utc(2026, 4, 5), last[1].At);
    }

    [Fact]
    public void Scheduled_events_happen_before_the_action_at_that_instant()
    {
        // At Feb 5 the second grant falls due; a send at that very instant can already spend it.
        var given = new Given().Members("alice", "bob", "carl").Subscribe("alice", "premium-career");
        for (var i = 0; i < 4; i++)
        {
            given.Sends("alice", "bob");
        }
        given.Sends("alice", "carl");
        Assert.Equal(0, given.Credits("alice"));

        given.At(Utc(2026, 2, 5));
        var sent = given.Sends("alice", "carl");

        Assert.Equal(Utc(2026, 2, 5), sent.Quote.ChargedLot!.GrantedAt);
        Assert.Equal(4, given.Credits("alice"));
    }

    [Fact]
    public void Catching_up_after_a_long_silence_replays_expiries_and_grants_in_time_order()
    {
        var given = new Given().Members("cara").Subscribe("cara", "premium-career");

        given.At(Utc(2026, 12, 31));

        // Feb 5 + 90 days is May 6, so on May 5 three lots are still live and that grant is clipped to 0;
        // every other cycle grants 5. Live now: Oct 5, Nov 5, Dec 5.
        Assert.Equal(15, given.Credits("cara"));
        var ledger = given.Ledger("cara");
        var grants = ledger.Where(e => e.Kind == LedgerKind.Grant).Select(e => e.At.Month).ToList();
        Assert.Equal([1, 2, 3, 4, 6, 7, 8, 9, 10, 11, 12], grants);
        Assert.Equal(8, ledger.Count(e => e.Kind == LedgerKind.Expire));
        Assert.True(ledger.Zip(ledger.Skip(1)).All(p => p.First.At <= p.Second.At));
    }
}
