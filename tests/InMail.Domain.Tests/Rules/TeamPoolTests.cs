using InMail.Domain.Catalog;
using InMail.Domain.Credits;
using static InMail.Domain.Tests.Rules.Given;

namespace InMail.Domain.Tests.Rules;

/// <summary>SPEC §3 team pool (sales-navigator-advanced): allowance × seats under cap × seats, seat caps, refunds to the pool.</summary>
public sealed class TeamPoolTests
{
    private static Given Acme(int? seatCap = null, params string[] seats)
    {
        var given = new Given().Members("a1", "a2", "a3", "bob", "carl", "dora");
        return given.Team("acme", seats.Length == 0 ? ["a1", "a2", "a3"] : seats, seatCap);
    }

    /// <summary>The team's pool, caught up to now.</summary>
    private static Wallet Pool(Given given)
    {
        var team = given.TeamOf("acme");
        given.Engine.CatchUp(given.Now, team);
        return team.Pool;
    }

    [Fact]
    public void A_new_team_pool_gets_the_allowance_times_the_seats_at_once()
    {
        var given = Acme();

        Assert.Equal(150, Pool(given).Balance);
        var lot = Assert.Single(Pool(given).LiveLots);
        Assert.Equal((LotSource.Allowance, 150, Utc(2026, 4, 5)), (lot.Source, lot.Remaining, lot.Expires));
        Assert.Equal(150, given.Credits("a2"));
        Assert.Equal("sales-navigator-advanced", given.View("a2").Plan);
    }

    [Fact]
    public void Seats_spend_from_the_one_pool()
    {
        var given = Acme();

        var sent = given.Sends("a1", "bob");
        given.Sends("a2", "carl");

        Assert.Equal(WalletOwner.Team, sent.Quote.ChargedLot!.Wallet.Owner);
        Assert.Equal(148, Pool(given).Balance);
        Assert.Equal(148, given.Credits("a3"));
        Assert.Empty(given.Ledger("a1"));
        var spend = Pool(given).Ledger.Last();
        Assert.Equal((LedgerKind.Spend, "a2"), (spend.Kind, spend.Member));
    }

    [Fact]
    public void A_seat_added_mid_cycle_grows_the_pool_at_the_next_team_cycle_not_before()
    {
        var given = Acme();
        given.At(Utc(2026, 1, 20));

        Ok(given.Engine.AddSeat(given.Now, "acme", "dora"));

        Assert.Equal(150, given.Credits("dora"));
        given.At(Utc(2026, 2, 5));
        Assert.Equal(350, Pool(given).Balance);
        Assert.Equal(200, Pool(given).Ledger.Last().Delta);
    }

    [Fact]
    public void The_pool_cap_is_the_cap_times_the_seats_counted_at_the_grant()
    {
        // Anchored Feb 1, the Feb lot (Feb 1 + 90 days = May 2) is still live on May 1.
        var given = new Given().At(Utc(2026, 2, 1)).Members("a1", "a2", "b1");
        given.Team("acme", ["a1"]);
        given.At(Utc(2026, 4, 1));
        Assert.Equal(150, Pool(given).Balance);

        given.At(Utc(2026, 4, 15));
        Ok(given.Engine.AddSeat(given.Now, "acme", "a2"));
        given.At(Utc(2026, 5, 1));

        // Two seats: grant = min(2 × 50, max(0, 2 × 150 − 150)) = 100
        Assert.Equal(250, Pool(given).Balance);
        Assert.Equal(100, Pool(given).Ledger.Last().Delta);
    }

    [Fact]
    public void With_one_seat_a_full_pool_gets_nothing()
    {
        var given = new Given().At(Utc(2026, 2, 1)).Members("a1");
        given.Team("acme", ["a1"]);
        given.At(Utc(2026, 4, 1));
        var entries = Pool(given).Ledger.Count;

        given.At(Utc(2026, 5, 1));

        Assert.Equal(150, given.Credits("a1"));
        Assert.Equal(entries, Pool(given).Ledger.Count);
    }

    [Fact]
    public void A_seat_spends_the_earliest_expiry_first_across_the_pool_and_its_own_lots()
    {
        var given = Acme().Bonus("a1", 1, 10).Buy("a1", 10);

        var first = given.Sends("a1", "bob");
        var second = given.Sends("a1", "bob");

        Assert.Equal((WalletOwner.Member, LotSource.Bonus), (first.Quote.ChargedLot!.Wallet.Owner, first.Quote.ChargedLot.Source));
        Assert.Equal((WalletOwner.Team, LotSource.Allowance), (second.Quote.ChargedLot!.Wallet.Owner, second.Quote.ChargedLot.Source));
        Assert.Equal(10, given.Member("a1").Wallet.Balance); // the purchase lot lives a year: it waits
        Assert.Equal(159, given.Credits("a1"));
        Assert.Equal(
            [(LotSource.Allowance, 149, Utc(2026, 4, 5)), (LotSource.Purchase, 10, Utc(2027, 1, 5))],
            given.Lots("a1"));
    }

    [Fact]
    public void A_seat_cap_limits_pool_credits_per_seat_per_team_cycle()
    {
        var given = Acme(seatCap: 2);
        given.Sends("a1", "bob");
        given.Sends("a1", "bob");

        var refusal = given.Refuses(RefusalCode.SeatCapReached, () => given.InMail("a1", "carl"));

        Assert.Contains("2", refusal.Message, StringComparison.Ordinal);
        Assert.Equal((0, 0), (given.Credits("a1"), given.View("a1").SeatCapLeft));
        Assert.Equal((2, 2), (given.Credits("a2"), given.View("a2").SeatCapLeft)); // usable pool credits stop at the cap
        given.Sends("a2", "carl");
    }

    [Fact]
    public void A_capped_seat_still_spends_its_own_lots()
    {
        var given = Acme(seatCap: 1).Buy("a1", 10);
        given.Sends("a1", "bob");

        var sent = given.Sends("a1", "carl");

        Assert.Equal((WalletOwner.Member, LotSource.Purchase), (sent.Quote.ChargedLot!.Wallet.Owner, sent.Quote.ChargedLot.Source));
        Assert.Equal(9, given.Credits("a1"));
    }

    [Fact]
    public void The_seat_cap_starts_again_at_the_next_team_cycle()
    {
        var given = Acme(seatCap: 1);
        given.Sends("a1", "bob");
        given.Refuses(RefusalCode.SeatCapReached, () => given.InMail("a1", "carl"));

        given.At(Utc(2026, 2, 5));

        Assert.Equal(1, given.View("a1").SeatCapLeft);
        given.Sends("a1", "carl");
    }

    [Fact]
    public void Refunds_return_to_the_pool_and_do_not_give_the_seat_its_cap_back()
    {
        var given = Acme(seatCap: 2);
        var m1 = given.Sends("a1", "bob");
        given.Sends("a1", "bob");
        Assert.Equal(148, Pool(given).Balance);

        var responded = Ok(given.Respond("bob", m1.Message.Id));

        Assert.Equal(2, responded.CreditsRefunded);
        Assert.Equal(150, Pool(given).Balance);
        Assert.Empty(given.Ledger("a1"));
        Assert.All(Pool(given).Ledger.Where(e => e.Kind == LedgerKind.Refund), e => Assert.Equal("a1", e.Member));
        Assert.Equal(0, given.View("a1").SeatCapLeft);
        given.Refuses(RefusalCode.SeatCapReached, () => given.InMail("a1", "carl"));
    }

    [Fact]
    public void A_refund_whose_pool_lot_expired_makes_a_refund_lot_in_the_pool()
    {
        var given = Acme();
        given.At(Utc(2026, 3, 20));
        var sent = given.Sends("a1", "bob");
        given.At(Utc(2026, 4, 10));

        Ok(given.Respond("bob", sent.Message.Id));

        var lot = Assert.Single(Pool(given).LiveLots, l => l.Source == LotSource.Refund);
        Assert.Equal((1, Utc(2026, 7, 9)), (lot.Remaining, lot.Expires));
    }

    [Fact]
    public void A_response_makes_one_refund_lot_per_wallet_whose_lots_are_gone()
    {
        var given = Acme().Bonus("a1", 1, 10);
        var fromOwn = given.Sends("a1", "bob");
        given.At(Utc(2026, 3, 20));
        var fromPool = given.Sends("a1", "bob");
        Assert.Equal((WalletOwner.Member, WalletOwner.Team), (fromOwn.Quote.ChargedLot!.Wallet.Owner, fromPool.Quote.ChargedLot!.Wallet.Owner));

        given.At(Utc(2026, 4, 5)); // exactly 90 days after the first spend, the instant January's pool lot expires
        var responded = Ok(given.Respond("bob", fromOwn.Message.Id));

        Assert.Equal(2, responded.CreditsRefunded);
        Assert.Contains((LotSource.Refund, 1, Utc(2026, 7, 4)), given.Lots("a1"));
        Assert.Single(given.Member("a1").Wallet.LiveLots, l => l.Source == LotSource.Refund);
        Assert.Single(Pool(given).LiveLots, l => l.Source == LotSource.Refund);
    }

    [Fact]
    public void A_refund_reaches_the_pool_even_after_the_seat_left_the_team()
    {
        var given = Acme();
        var sent = given.Sends("a1", "bob");
        given.At(Utc(2026, 1, 7));
        Ok(given.Engine.RemoveSeat(given.Now, "acme", "a1"));

        given.At(Utc(2026, 3, 1)); // nobody has looked at the team since January
        Ok(given.Respond("bob", sent.Message.Id));

        Assert.Equal(150 + 100, Pool(given).Balance); // the Feb grant for two seats, and the credit back in January's lot
        Assert.Equal(150, Pool(given).LiveLots[0].Remaining);
        var ledger = Pool(given).Ledger;
        Assert.True(ledger.Zip(ledger.Skip(1)).All(p => p.First.At <= p.Second.At));
        Assert.Equal(Pool(given).Balance, Pool(given).BalanceAsOf(given.Now));
    }

    [Fact]
    public void The_daily_limit_is_per_seat()
    {
        var given = Acme();
        var strangers = given.Many("s", 13);
        for (var i = 0; i < 50; i++)
        {
            given.After(Second).Sends("a1", strangers[i / 4]);
        }

        given.Refuses(RefusalCode.DailyLimitReached, () => given.InMail("a1", "bob"));
        given.Sends("a2", "bob");
    }

    [Fact]
    public void A_removed_seat_is_on_basic_and_its_own_lots_freeze()
    {
        var given = Acme().Buy("a1", 10);

        Ok(given.Engine.RemoveSeat(given.Now, "acme", "a1"));

        Assert.Equal(("basic", 0, 10), (given.View("a1").Plan, given.Credits("a1"), given.Frozen("a1")));
        Assert.Equal(["a2", "a3"], given.TeamOf("acme").Seats);
        Assert.Equal("a2", given.TeamOf("acme").Admin);
        given.Refuses(RefusalCode.InMailRequiresPaidPlan, () => given.InMail("a1", "bob"));
    }

    [Fact]
    public void A_cancelled_team_ends_at_the_end_of_its_cycle_forfeiting_the_pool()
    {
        var given = Acme().Buy("a1", 10);
        given.At(Utc(2026, 1, 20));

        Assert.Equal(Utc(2026, 2, 5), Ok(given.Engine.CancelTeam(given.Now, "acme")));
        Assert.Equal(Utc(2026, 2, 5), Ok(given.Engine.CancelTeam(given.Now, "acme")));
        Assert.Equal(160, given.At(Utc(2026, 2, 5) - Second).Credits("a1"));

        given.At(Utc(2026, 2, 5));

        Assert.Equal((0, 10, "basic"), (given.Credits("a1"), given.Frozen("a1"), given.View("a1").Plan));
        Assert.Equal(0, Pool(given).Balance);
        Assert.Equal(LedgerKind.Forfeit, Pool(given).Ledger.Last().Kind);
        Assert.Empty(given.TeamOf("acme").Seats);
        given.Refuses(RefusalCode.UnknownTeam, () => given.Engine.AddSeat(given.Now, "acme", "dora"));
        given.Subscribe("a1"); // a former seat may take a personal plan
    }

    [Fact]
    public void An_admin_can_set_or_clear_the_seat_cap()
    {
        var given = Acme();

        Ok(given.Engine.SetSeatCap(given.Now, "acme", 0));
        given.Refuses(RefusalCode.SeatCapReached, () => given.InMail("a1", "bob"));
        Ok(given.Engine.SetSeatCap(given.Now, "acme", null));
        given.Sends("a1", "bob");

        given.Refuses(RefusalCode.InvalidInput, () => given.Engine.SetSeatCap(given.Now, "acme", -1));
        given.Refuses(RefusalCode.UnknownTeam, () => given.Engine.SetSeatCap(given.Now, "nope", 3));
    }

    [Fact]
    public void A_member_holds_at_most_one_plan_so_a_subscriber_cannot_take_a_seat()
    {
        var given = Acme().Subscribe("dora");

        given.Refuses(RefusalCode.TeamSeatConflict, () => given.Engine.AddSeat(given.Now, "acme", "dora"));
        given.Refuses(RefusalCode.TeamSeatConflict, () => given.Engine.CreateTeam(given.Now, "beta", "sales-navigator-advanced", BillingPeriod.Monthly, ["bob", "dora"], null));
    }

    [Fact]
    public void A_seat_cannot_subscribe_change_plan_or_cancel_personally()
    {
        var given = Acme();

        given.Refuses(RefusalCode.TeamSeatConflict, () => given.Engine.Subscribe(given.Now, "a1", "premium-business", BillingPeriod.Monthly));
        given.Refuses(RefusalCode.TeamSeatConflict, () => given.Engine.ChangePlan(given.Now, "a1", "premium-business", BillingPeriod.Monthly));
        given.Refuses(RefusalCode.TeamSeatConflict, () => given.Engine.Cancel(given.Now, "a1"));
    }

    [Fact]
    public void A_seat_on_one_team_cannot_take_a_seat_on_another()
    {
        var given = Acme();

        given.Refuses(RefusalCode.TeamSeatConflict, () => given.Engine.CreateTeam(given.Now, "beta", "sales-navigator-advanced", BillingPeriod.Monthly, ["bob", "a1"], null));
        given.Refuses(RefusalCode.TeamSeatConflict, () => given.Engine.AddSeat(given.Now, "acme", "a1"));
    }

    [Fact]
    public void Removing_a_member_who_holds_no_seat_is_a_seat_conflict()
    {
        var given = Acme();

        given.Refuses(RefusalCode.TeamSeatConflict, () => given.Engine.RemoveSeat(given.Now, "acme", "bob"));
        given.Refuses(RefusalCode.UnknownTeam, () => given.Engine.RemoveSeat(given.Now, "nope", "a1"));
        given.Refuses(RefusalCode.UnknownMember, () => given.Engine.RemoveSeat(given.Now, "acme", "ghost"));
        given.Refuses(RefusalCode.UnknownMember, () => given.Engine.AddSeat(given.Now, "acme", "ghost"));
        given.Refuses(RefusalCode.UnknownTeam, () => given.Engine.CancelTeam(given.Now, "nope"));
    }

    [Fact]
    public void Creating_a_team_checks_its_plan_and_seats()
    {
        var given = new Given().Members("a1", "a2");
        var engine = given.Engine;
        var now = given.Now;

        given.Refuses(RefusalCode.UnknownPlan, () => engine.CreateTeam(now, "acme", "gold", BillingPeriod.Monthly, ["a1"], null));
        given.Refuses(RefusalCode.InvalidInput, () => engine.CreateTeam(now, "acme", "premium-business", BillingPeriod.Monthly, ["a1"], null));
        given.Refuses(RefusalCode.InvalidInput, () => engine.CreateTeam(now, "acme", "sales-navigator-advanced", BillingPeriod.Monthly, [], null));
        given.Refuses(RefusalCode.InvalidInput, () => engine.CreateTeam(now, "acme", "sales-navigator-advanced", BillingPeriod.Monthly, ["a1", "a1"], null));
        given.Refuses(RefusalCode.InvalidInput, () => engine.CreateTeam(now, "acme", "sales-navigator-advanced", BillingPeriod.Monthly, ["a1"], -1));
        given.Refuses(RefusalCode.InvalidInput, () => engine.CreateTeam(now, "acme", "sales-navigator-advanced", BillingPeriod.Monthly, ["a1"], null, admin: "a2"));
        given.Refuses(RefusalCode.InvalidInput, () => engine.CreateTeam(now, "not a team", "sales-navigator-advanced", BillingPeriod.Monthly, ["a1"], null));
        given.Refuses(RefusalCode.UnknownMember, () => engine.CreateTeam(now, "acme", "sales-navigator-advanced", BillingPeriod.Monthly, ["a1", "ghost"], null));

        var team = Ok(engine.CreateTeam(now, "acme", "sales-navigator-advanced", BillingPeriod.Annual, ["a1", "a2"], 5, admin: "a2"));
        Assert.Equal(("a2", 5, 100), (team.Admin, team.SeatCap, team.Pool.Balance));
        given.Refuses(RefusalCode.InvalidInput, () => engine.CreateTeam(now, "acme", "sales-navigator-advanced", BillingPeriod.Monthly, ["a1"], null));
    }

    [Fact]
    public void A_team_plan_not_offered_with_a_billing_period_is_refused()
    {
        var catalog = PlanCatalog.FromJson("""
            { "plans": [
                { "id": "basic", "monthly": { "pricePerMonthCents": 0 }, "dailyInMailLimit": 10 },
                { "id": "team", "paid": true, "team": true, "monthly": { "pricePerMonthCents": 100 }, "creditsPerCycle": 10, "cap": 30, "dailyInMailLimit": 10 }
            ] }
            """);
        var given = new Given(catalog).Members("a1");

        given.Refuses(RefusalCode.BillingNotOffered, () => given.Engine.CreateTeam(given.Now, "acme", "team", BillingPeriod.Annual, ["a1"], null));
    }
}
