using InMail.Domain.Messaging;
using InMail.Domain.Outreach;
using static InMail.Domain.Tests.Rules.Given;

namespace InMail.Domain.Tests.Outreach;

/// <summary>The Results charts' series (issue 13, decision 014), each checked against numbers worked out by hand.</summary>
public sealed class OutreachChartTests
{
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);

    // 2026-03-02 is a Monday: ISO week 2026-W10 (2026-W01 starts on Monday 2025-12-29).
    private static readonly DateTimeOffset Monday = Utc(2026, 3, 2);

    private static InMailFact Sent(DateTimeOffset at, int length = 100, TimeSpan? answeredAfter = null, bool charged = true, bool refunded = false,
        ResponseKind response = ResponseKind.Reply, SenderMark? mark = null, string? zone = null, bool read = false)
    {
        var answered = at + answeredAfter;
        return new InMailFact(charged ? SendPath.InMail : SendPath.OpenProfile, at, answered ?? (read ? at + Hour : null), answered,
            answered is null ? null : response, refunded ? answered : null, mark, charged, length, zone);
    }

    private static OutreachCharts Charts(params InMailFact[] sent) => OutreachCharts.Of(sent, [], 90);

    [Fact]
    public void With_nothing_sent_every_series_is_empty_or_zero_and_no_rate_is_invented()
    {
        var charts = Charts();

        Assert.Empty(charts.Weekly);
        Assert.Empty(charts.BodyLengths);
        Assert.Empty(charts.Credits);
        Assert.Equal(7 * 24, charts.SendTimes.Count);
        Assert.All(charts.SendTimes, c => Assert.Equal((0, 0, (double?)null), (c.Delivered, c.Responded, c.ReplyRate)));
        // The seed's windows: Tuesday to Thursday, 7–8 and 17–18: six cells.
        Assert.Equal(
            [(DayOfWeek.Tuesday, 7), (DayOfWeek.Tuesday, 17), (DayOfWeek.Wednesday, 7), (DayOfWeek.Wednesday, 17), (DayOfWeek.Thursday, 7), (DayOfWeek.Thursday, 17)],
            charts.SendTimes.Where(c => c.SeedWindow).Select(c => (c.Day, c.Hour)));
        Assert.Equal(DayOfWeek.Monday, charts.SendTimes[0].Day);
        Assert.Equal((DayOfWeek.Sunday, 23), (charts.SendTimes[^1].Day, charts.SendTimes[^1].Hour));
        Assert.Equal(["under 1 h", "1 h – 4 h", "4 h – 24 h", "24 h – 3 days", "3 days – 7 days", "7 days – 30 days", "30 days – 90 days", "over 90 days (no refund)"],
            charts.ReplyTimes.Select(b => b.Label));
        Assert.All(charts.ReplyTimes, b => Assert.Equal((0, (double?)null), (b.Count, b.Share)));
        Assert.Equal(["delivered", "opened", "replied", "positive", "meeting"], charts.Funnel.Select(s => s.Stage));
        Assert.All(charts.Funnel, s => Assert.Equal((0, (double?)null), (s.Count, s.Share)));
    }

    [Fact]
    public void One_send_answered_after_two_hours_lands_in_one_point_one_cell_one_bucket_and_one_month()
    {
        // Wednesday 09:30 UTC, 399 characters, a reply 2 h later that brings the credit back.
        var charts = Charts(Sent(Monday.AddDays(2).AddHours(9.5), length: 399, answeredAfter: 2 * Hour, refunded: true));

        var week = Assert.Single(charts.Weekly);
        Assert.Equal(("2026-W10", Monday, 1, 1, 0, (double?)1.0, (double?)0.0),
            (week.Name, week.Start, week.Delivered, week.Responded, week.Positive, week.ReplyRate, week.PositiveRate));

        var cell = Assert.Single(charts.SendTimes, c => c.Delivered > 0);
        Assert.Equal((DayOfWeek.Wednesday, 9, 1, 1.0, false), (cell.Day, cell.Hour, cell.Responded, cell.ReplyRate!.Value, cell.SeedWindow));

        // 399 → the 300–400 bucket; buckets run at least to 400–500 so the seed's 400 has both sides.
        Assert.Equal([(0, 0), (100, 0), (200, 0), (300, 1), (400, 0)], charts.BodyLengths.Select(b => (b.From, b.Delivered)));
        Assert.True(charts.BodyLengths[3].Short);
        Assert.False(charts.BodyLengths[4].Short);

        Assert.Equal([0, 1, 0, 0, 0, 0, 0, 0], charts.ReplyTimes.Select(b => b.Count));
        Assert.Equal(1.0, charts.ReplyTimes[1].Share);

        Assert.Equal([1, 1, 1, 0, 0], charts.Funnel.Select(s => s.Count));
        Assert.Equal([1.0, 1.0, 1.0, 0.0, 0.0], charts.Funnel.Select(s => s.Share!.Value));

        var month = Assert.Single(charts.Credits);
        Assert.Equal(("2026-03", 1, 1, 0), (month.Name, month.Spent, month.Refunded, month.Expired));
    }

    [Fact]
    public void Edges_belong_to_the_later_bucket_except_the_refund_window_which_still_refunds()
    {
        var sunday = Monday.AddDays(-1);
        var charts = Charts(
            Sent(sunday.AddHours(23).AddMinutes(59).AddSeconds(59), length: 400, answeredAfter: Hour),            // W09; 400 → 400–500; 1 h → 1–4 h
            Sent(Monday, length: 500, answeredAfter: TimeSpan.FromDays(90), refunded: true),                          // W10; exactly 90 days: still refunded
            Sent(Monday, length: 1900, answeredAfter: TimeSpan.FromDays(90) + Second, response: ResponseKind.Accept), // same instant (a tie); over 90 days
            Sent(Monday.AddDays(6).AddHours(23), length: 99, answeredAfter: Hour - Second, mark: SenderMark.MeetingBooked));

        Assert.Equal([("2026-W09", 1, 1), ("2026-W10", 3, 3)], charts.Weekly.Select(w => (w.Name, w.Delivered, w.Responded)));
        Assert.Equal([0, 2], charts.Weekly.Select(w => w.Positive)); // the accept and the booked meeting
        Assert.Equal(20, charts.BodyLengths.Count);                 // 1,900 characters → the 1,900–2,000 bucket, the 20th
        Assert.Equal(1, charts.BodyLengths[0].Delivered);
        Assert.Equal(1, charts.BodyLengths[4].Delivered);
        Assert.Equal(1, charts.BodyLengths[5].Delivered);
        Assert.Equal(1, charts.BodyLengths[19].Delivered);
        Assert.Equal([1, 1, 0, 0, 0, 0, 1, 1], charts.ReplyTimes.Select(b => b.Count));
        Assert.Equal(0.25, charts.ReplyTimes[^1].Share);
        Assert.Equal([4, 4, 4, 2, 1], charts.Funnel.Select(s => s.Count));
        // All four were sent in March (Sunday the 1st to Sunday the 8th); the one refund came 90 days after 2 March: 31 May.
        Assert.Equal([("2026-03", 4, 0), ("2026-04", 0, 0), ("2026-05", 0, 1)], charts.Credits.Select(m => (m.Name, m.Spent, m.Refunded)));
    }

    [Fact]
    public void One_instant_falls_on_different_days_for_recipients_on_either_side_of_the_date_line()
    {
        // Tuesday 10:30 UTC is Wednesday 00:30 in Kiritimati (UTC+14) and Monday 23:30 in Pago Pago (UTC−11);
        // Tuesday 17:30 UTC is Wednesday 07:30 in Kiritimati (a seed window) and Tuesday 06:30 in Pago Pago (not one).
        var tuesday = Monday.AddDays(1);
        var charts = Charts(
            Sent(tuesday.AddHours(10.5), zone: "Pacific/Kiritimati", answeredAfter: Hour),
            Sent(tuesday.AddHours(10.5), zone: "Pacific/Pago_Pago"),
            Sent(tuesday.AddHours(17.5), zone: "Pacific/Kiritimati", answeredAfter: Hour),
            Sent(tuesday.AddHours(17.5), zone: "Pacific/Pago_Pago"),
            Sent(tuesday.AddHours(17.5), zone: "Nowhere/Unknown")); // unknown here: UTC

        Assert.Equal(
            [(DayOfWeek.Monday, 23, 1, 0, false), (DayOfWeek.Tuesday, 6, 1, 0, false), (DayOfWeek.Tuesday, 17, 1, 0, true),
             (DayOfWeek.Wednesday, 0, 1, 1, false), (DayOfWeek.Wednesday, 7, 1, 1, true)],
            charts.SendTimes.Where(c => c.Delivered > 0).Select(c => (c.Day, c.Hour, c.Delivered, c.Responded, c.SeedWindow)));
        // Weeks are UTC: all five are in one week whatever the recipients' calendars say.
        Assert.Equal(5, Assert.Single(charts.Weekly).Delivered);
    }

    [Fact]
    public void Weeks_and_months_without_sends_stay_in_the_series_with_zero_and_no_rate()
    {
        var charts = OutreachCharts.Of(
            [Sent(Monday, answeredAfter: Hour), Sent(Monday.AddDays(14)), Sent(Monday.AddDays(15), charged: false)],
            [new CreditExpiry(Utc(2026, 6, 1), 3), new CreditExpiry(Utc(2026, 6, 30, 23, 59, 59), 2)], 90);

        Assert.Equal([("2026-W10", 1, (double?)1.0), ("2026-W11", 0, null), ("2026-W12", 2, 0.0)],
            charts.Weekly.Select(w => (w.Name, w.Delivered, w.ReplyRate)));
        // Open-profile InMails cost nothing; both expiries fall in June.
        Assert.Equal([("2026-03", 2, 0, 0), ("2026-04", 0, 0, 0), ("2026-05", 0, 0, 0), ("2026-06", 0, 0, 5)],
            charts.Credits.Select(m => (m.Name, m.Spent, m.Refunded, m.Expired)));
    }

    [Fact]
    public void Rates_by_length_and_time_tie_when_the_counts_do()
    {
        var charts = Charts(
            Sent(Monday.AddHours(7), length: 150, answeredAfter: Hour), Sent(Monday.AddHours(7), length: 150),
            Sent(Monday.AddHours(7), length: 450, answeredAfter: Hour), Sent(Monday.AddHours(7), length: 450));

        Assert.Equal(charts.BodyLengths[1].ReplyRate, charts.BodyLengths[4].ReplyRate);
        Assert.Equal(0.5, charts.BodyLengths[1].ReplyRate);
        var cell = Assert.Single(charts.SendTimes, c => c.Delivered > 0);
        Assert.Equal((4, 2, 0.5), (cell.Delivered, cell.Responded, cell.ReplyRate!.Value));
    }

    [Fact]
    public void A_response_after_90_days_is_a_reply_in_every_chart_but_brings_no_credit_back()
    {
        var given = new Rules.Given().Members("alice", "bob", "carol").Subscribe("alice");
        given.Sends("alice", "bob", "late");
        given.Sends("alice", "carol", "on-time");
        given.After(Days(90));
        Ok(given.Respond("carol", "on-time"));
        given.After(Second);
        Ok(given.Respond("bob", "late"));

        var facts = given.Engine.OutreachFacts("alice");
        var charts = OutreachCharts.Of(facts, [], given.Engine.Catalog.Policy.RefundWindowDays);
        var report = Ok(given.Engine.Outreach(given.Now, "alice"));

        Assert.Equal([0, 0, 0, 0, 0, 0, 1, 1], charts.ReplyTimes.Select(b => b.Count));
        Assert.Equal([2, 2, 2, 0, 0], charts.Funnel.Select(s => s.Count));
        // Sent on 5 January; carol's response exactly 90 days later (5 April) refunds; bob's, a second after, does not.
        Assert.Equal([("2026-01", 2, 0), ("2026-02", 0, 0), ("2026-03", 0, 0), ("2026-04", 0, 1)], charts.Credits.Select(m => (m.Name, m.Spent, m.Refunded)));
        Assert.Equal((2, 1), (report.All.CreditsSpent, report.All.CreditsRefunded));
        Assert.Equal(report, OutreachReport.Of("alice", null, null, report.CreditPrice, facts));
    }
}
