using InMail.Domain.Credits;
using static InMail.Domain.Tests.Rules.Given;

namespace InMail.Domain.Tests.Rules;

/// <summary>
/// Decision 013: the team admin's report, worked by hand. Team acme on Sales Navigator Advanced
/// (50 credits a seat and cycle into the pool, cap 150 a seat), anchored Monday 5 January 2026.
/// </summary>
public sealed class TeamReportTests
{
    private static Given Acme(int? seatCap = null)
    {
        var given = new Given().Members("a1", "a2", "bob", "carl", "dora");
        return given.Team("acme", ["a1", "a2"], seatCap);
    }

    private static TeamReport Report(Given given, DateTimeOffset? from = null, DateTimeOffset? to = null) =>
        Ok(given.Engine.TeamReport(given.Now, "acme", from, to));

    [Fact]
    public void A_new_team_has_its_seats_with_nothing_sent_and_one_cycle_of_grant()
    {
        var report = Report(Acme());

        Assert.Equal(["a1", "a2"], report.Seats.Select(s => s.Member).ToArray());
        Assert.All(report.Seats, s => Assert.Equal((true, 0, 0, (double?)null, 0, 0, 0, 0), (s.Seat, s.Sent, s.Replied, s.ReplyRate, s.PoolCreditsSpent, s.PoolCreditsRefunded, s.CreditsRefunded, s.PoolSpentThisCycle)));
        var cycle = Assert.Single(report.Cycles);
        Assert.Equal((0, Start, Utc(2026, 2, 5), 100, 0, 0, 0, 0), (cycle.Cycle, cycle.Start, cycle.End, cycle.Granted, cycle.Spent, cycle.Refunded, cycle.Expired, cycle.Forfeited));
        Assert.Empty(cycle.SpentBySeat);
        Assert.Equal(100, report.PoolBalance);
    }

    [Fact]
    public void One_pool_paid_inmail_answered_is_sent_replied_spent_and_refunded_for_its_seat()
    {
        var given = Acme(seatCap: 10);
        var sent = given.Sends("a1", "bob");
        given.After(TimeSpan.FromHours(2));
        Ok(given.Respond("bob", sent.Message.Id));

        var report = Report(given);
        var a1 = report.Seats.Single(s => s.Member == "a1");
        Assert.Equal((1, 1, (double?)1.0, 1, 1, 1, 1, (int?)10), (a1.Sent, a1.Replied, a1.ReplyRate, a1.PoolCreditsSpent, a1.PoolCreditsRefunded, a1.CreditsRefunded, a1.PoolSpentThisCycle, a1.SeatCap));
        var cycle = Assert.Single(report.Cycles);
        Assert.Equal((100, 1, 1), (cycle.Granted, cycle.Spent, cycle.Refunded));
        Assert.Equal([new SeatSpend("a1", 1)], cycle.SpentBySeat);
        // The refund went back to the pool but the seat keeps its cap use (SPEC §3).
        Assert.Equal(100, report.PoolBalance);
    }

    [Fact]
    public void Seats_that_sent_alike_tie_and_are_listed_in_seat_order()
    {
        var given = Acme();
        given.Sends("a1", "bob");
        given.Sends("a2", "carl");
        var report = Report(given);
        Assert.Equal(["a1", "a2"], report.Seats.Select(s => s.Member).ToArray());
        Assert.Equal(report.Seats[0] with { Member = "", Name = "" }, report.Seats[1] with { Member = "", Name = "" });
        Assert.Equal([new SeatSpend("a1", 1), new SeatSpend("a2", 1)], Assert.Single(report.Cycles).SpentBySeat);
    }

    [Fact]
    public void Cycles_show_grants_spends_and_expiries_each_in_the_cycle_of_its_instant()
    {
        var given = Acme();
        given.Sends("a1", "bob");
        // Cycle 1 (5 February) grants 100 more; on 5 April the first lot, 90 days old, expires with 99 left
        // while cycle 3 grants: the cap of 300 is never reached (100 + 100 + 100 − 1).
        given.At(Utc(2026, 4, 10));
        var report = Report(given);

        Assert.Equal([0, 1, 2, 3], report.Cycles.Select(c => c.Cycle).ToArray());
        Assert.Equal([100, 100, 100, 100], report.Cycles.Select(c => c.Granted).ToArray());
        Assert.Equal([1, 0, 0, 0], report.Cycles.Select(c => c.Spent).ToArray());
        Assert.Equal([0, 0, 0, 99], report.Cycles.Select(c => c.Expired).ToArray());
        // Only cycles overlapping the period are shown.
        Assert.Equal([1, 2], Report(given, Utc(2026, 2, 5), Utc(2026, 4, 5)).Cycles.Select(c => c.Cycle).ToArray());
    }

    [Fact]
    public void A_former_seat_that_used_the_pool_in_the_period_is_listed_with_only_what_the_pool_paid()
    {
        var given = Acme();
        given.Sends("a2", "bob");
        Ok(given.Engine.LeaveTeam(given.Now, "acme", "a2"));
        var report = Report(given);

        var former = report.Seats.Single(s => s.Member == "a2");
        Assert.Equal((false, 1, 1, 0), (former.Seat, former.Sent, former.PoolCreditsSpent, former.PoolSpentThisCycle));
    }

    [Fact]
    public void An_unknown_team_and_a_reversed_period_are_refused()
    {
        var given = Acme();
        given.Refuses(RefusalCode.UnknownTeam, () => given.Engine.TeamReport(given.Now, "nope"));
        given.Refuses(RefusalCode.InvalidInput, () => given.Engine.TeamReport(given.Now, "acme", given.Now, given.Now));
    }
}
