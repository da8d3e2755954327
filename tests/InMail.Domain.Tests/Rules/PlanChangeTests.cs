using InMail.Domain.Catalog;
using InMail.Domain.Credits;
using static InMail.Domain.Tests.Rules.Given;

namespace InMail.Domain.Tests.Rules;

/// <summary>SPEC §2–§3 subscribing and changing plans: allowance forfeited, other lots kept, anchored at the change.</summary>
public sealed class PlanChangeTests
{
    [Fact]
    public void An_upgrade_forfeits_the_allowance_keeps_purchase_bonus_and_refund_lots_and_grants_the_new_plan_at_once()
    {
        var given = new Given().Members("rita", "bob").At(Utc(2026, 1, 31, 12, 0, 0)).Subscribe("rita", "recruiter-lite").Buy("rita", 25).Bonus("rita", 5, 200);
        var m = given.At(Utc(2026, 2, 1)).Bonus("rita", 1, 2).Sends("rita", "bob"); // the short bonus pays
        given.At(Utc(2026, 2, 10));
        Ok(given.Respond("bob", m.Message.Id)); // its lot is gone: a refund lot of 1
        given.At(Utc(2026, 4, 10));
        Assert.Equal(90 + 25 + 5 + 1, given.Credits("rita"));

        var sub = Ok(given.Engine.ChangePlan(given.Now, "rita", "sales-navigator-core", BillingPeriod.Monthly));

        Assert.Equal(Utc(2026, 4, 10), sub!.Anchor);
        Assert.Equal(50 + 25 + 5 + 1, given.Credits("rita"));
        Assert.Equal(
            [(LotSource.Refund, 1, Utc(2026, 5, 11)), (LotSource.Allowance, 50, Utc(2026, 7, 9)), (LotSource.Bonus, 5, Utc(2026, 8, 19, 12, 0, 0)), (LotSource.Purchase, 25, Utc(2027, 1, 31, 12, 0, 0))],
            given.Lots("rita"));
        var forfeits = given.Ledger("rita").Where(e => e.Kind == LedgerKind.Forfeit).ToList();
        Assert.Equal(3, forfeits.Count); // one entry per allowance lot: Jan 31, Feb 28, Mar 31
        Assert.All(forfeits, e => Assert.Equal((Utc(2026, 4, 10), LotSource.Allowance, -30), (e.At, e.Source, e.Delta)));
    }

    [Fact]
    public void The_new_plan_is_anchored_at_the_change_not_at_the_old_anchor()
    {
        var given = new Given().Members("alice").Subscribe("alice", "premium-career");
        given.At(Utc(2026, 1, 20));
        Ok(given.Engine.ChangePlan(given.Now, "alice", "premium-business", BillingPeriod.Monthly));

        Assert.Equal(15, given.At(Utc(2026, 2, 5)).Credits("alice")); // the old anchor's day passes quietly
        Assert.Equal(15, given.At(Utc(2026, 2, 20) - Second).Credits("alice"));
        Assert.Equal(30, given.At(Utc(2026, 2, 20)).Credits("alice"));
    }

    [Fact]
    public void A_downgrade_works_the_same_way()
    {
        var given = new Given().Members("alice").Subscribe("alice", "sales-navigator-core").Buy("alice", 10);
        given.At(Utc(2026, 1, 6));

        Ok(given.Engine.ChangePlan(given.Now, "alice", "premium-career", BillingPeriod.Monthly));

        Assert.Equal(15, given.Credits("alice"));
        Assert.Equal("premium-career", given.View("alice").Plan);
    }

    [Fact]
    public void Changing_to_basic_is_an_immediate_downgrade_with_no_grant()
    {
        var given = new Given().Members("alice", "bob").Subscribe("alice").Buy("alice", 10);
        given.At(Utc(2026, 1, 6));

        var sub = Ok(given.Engine.ChangePlan(given.Now, "alice", "basic", BillingPeriod.Monthly));

        Assert.Null(sub);
        Assert.Null(given.Member("alice").Subscription);
        Assert.Equal("basic", given.View("alice").Plan);
        Assert.Equal((0, 10), (given.Credits("alice"), given.Frozen("alice")));
        Assert.DoesNotContain(given.Ledger("alice"), e => e.Kind == LedgerKind.Grant && e.At == given.Now);
        given.At(Utc(2026, 2, 5));
        Assert.Equal((0, 10), (given.Credits("alice"), given.Frozen("alice"))); // no more grants
        given.Refuses(RefusalCode.InMailRequiresPaidPlan, () => given.InMail("alice", "bob"));
    }

    [Fact]
    public void A_change_at_the_instant_a_grant_is_due_grants_first_and_then_forfeits_it()
    {
        var given = new Given().Members("alice").Subscribe("alice", "premium-career");
        given.At(Utc(2026, 2, 5));

        Ok(given.Engine.ChangePlan(given.Now, "alice", "premium-business", BillingPeriod.Monthly));

        var today = given.Ledger("alice").Where(e => e.At == Utc(2026, 2, 5)).Select(e => (e.Kind, e.Delta)).ToList();
        Assert.Equal([(LedgerKind.Grant, 5), (LedgerKind.Forfeit, -5), (LedgerKind.Forfeit, -5), (LedgerKind.Grant, 15)], today);
        Assert.Equal(15, given.Credits("alice"));
    }

    [Fact]
    public void Changing_billing_on_the_same_plan_is_a_change()
    {
        var given = new Given().Members("alice").Subscribe("alice");
        given.At(Utc(2026, 1, 10));

        var sub = Ok(given.Engine.ChangePlan(given.Now, "alice", "premium-business", BillingPeriod.Annual));

        Assert.Equal((BillingPeriod.Annual, Utc(2026, 1, 10)), (sub!.Billing, sub.Anchor));
        Assert.Equal(15, given.Credits("alice"));
    }

    [Fact]
    public void Changing_to_the_plan_and_billing_one_already_has_is_refused()
    {
        var given = new Given().Members("alice").Subscribe("alice");

        given.Refuses(RefusalCode.AlreadySubscribed, () => given.Engine.ChangePlan(given.Now, "alice", "premium-business", BillingPeriod.Monthly));
    }

    [Fact]
    public void A_member_without_a_subscription_cannot_change_plan()
    {
        var given = new Given().Members("bea");

        given.Refuses(RefusalCode.NoSubscription, () => given.Engine.ChangePlan(given.Now, "bea", "premium-business", BillingPeriod.Monthly));
    }

    [Fact]
    public void Change_plan_refusals_name_the_unknown_member_plan_or_billing()
    {
        var given = new Given().Members("alice").Subscribe("alice");

        given.Refuses(RefusalCode.UnknownMember, () => given.Engine.ChangePlan(given.Now, "ghost", "premium-career", BillingPeriod.Monthly));
        given.Refuses(RefusalCode.UnknownPlan, () => given.Engine.ChangePlan(given.Now, "alice", "gold", BillingPeriod.Monthly));
        given.Refuses(RefusalCode.BillingNotOffered, () => given.Engine.ChangePlan(given.Now, "alice", "premium-career", BillingPeriod.Annual));
        given.Refuses(RefusalCode.BillingNotOffered, () => given.Engine.ChangePlan(given.Now, "alice", "basic", BillingPeriod.Annual));
        given.Refuses(RefusalCode.TeamSeatConflict, () => given.Engine.ChangePlan(given.Now, "alice", "sales-navigator-advanced", BillingPeriod.Monthly));
    }

    [Fact]
    public void Subscribing_refusals_follow_the_catalog()
    {
        var given = new Given().Members("alice").Subscribe("alice");
        given.Members("bea");

        given.Refuses(RefusalCode.UnknownMember, () => given.Engine.Subscribe(given.Now, "ghost", "premium-business", BillingPeriod.Monthly));
        given.Refuses(RefusalCode.UnknownPlan, () => given.Engine.Subscribe(given.Now, "bea", "gold", BillingPeriod.Monthly));
        given.Refuses(RefusalCode.BillingNotOffered, () => given.Engine.Subscribe(given.Now, "bea", "recruiter-lite", BillingPeriod.Annual));
        given.Refuses(RefusalCode.BillingNotOffered, () => given.Engine.Subscribe(given.Now, "bea", "recruiter-professional", BillingPeriod.Annual));
        given.Refuses(RefusalCode.TeamSeatConflict, () => given.Engine.Subscribe(given.Now, "bea", "sales-navigator-advanced", BillingPeriod.Monthly));
        given.Refuses(RefusalCode.InvalidInput, () => given.Engine.Subscribe(given.Now, "bea", "basic", BillingPeriod.Monthly));
        given.Refuses(RefusalCode.AlreadySubscribed, () => given.Engine.Subscribe(given.Now, "alice", "premium-career", BillingPeriod.Monthly));
    }

    [Theory]
    [InlineData("premium-business", BillingPeriod.Annual)]
    [InlineData("sales-navigator-core", BillingPeriod.Annual)]
    [InlineData("recruiter-corporate", BillingPeriod.Annual)]
    [InlineData("recruiter-corporate", BillingPeriod.Monthly)]
    public void Plans_offering_a_billing_period_can_be_subscribed_with_it(string plan, BillingPeriod billing)
    {
        var given = new Given().Members("alice");

        var sub = Ok(given.Engine.Subscribe(given.Now, "alice", plan, billing));

        Assert.Equal((plan, billing), (sub.Plan.Id, sub.Billing));
    }

    [Fact]
    public void Buying_a_pack_needs_a_paid_plan_and_a_pack_size_on_sale()
    {
        var given = new Given().Members("alice", "bea").Subscribe("alice");

        given.Refuses(RefusalCode.PurchaseNotAllowed, () => given.Engine.Buy(given.Now, "bea", 10));
        given.Refuses(RefusalCode.UnknownPack, () => given.Engine.Buy(given.Now, "alice", 7));
        given.Refuses(RefusalCode.UnknownMember, () => given.Engine.Buy(given.Now, "ghost", 10));

        foreach (var pack in new[] { 10, 25, 50, 100 })
        {
            var lot = Ok(given.Engine.Buy(given.Now, "alice", pack));
            Assert.Equal((LotSource.Purchase, pack, Utc(2027, 1, 5)), (lot.Source, lot.Remaining, lot.Expires));
        }
        Assert.Equal(15 + 185, given.Credits("alice"));
        Assert.Contains("$100.00", given.Ledger("alice").Single(e => e.Kind == LedgerKind.Purchase && e.Delta == 10).Note, StringComparison.Ordinal);
    }

    [Fact]
    public void A_purchase_lot_expires_12_calendar_months_after_the_purchase()
    {
        var given = new Given().At(Utc(2027, 3, 1, 8, 0, 0)).Members("alice").Subscribe("alice");

        Assert.Equal(Utc(2028, 3, 1, 8, 0, 0), Ok(given.Engine.Buy(given.Now, "alice", 10)).Expires); // not 365 days: 2028 is a leap year
        given.At(Utc(2028, 2, 29));
        Assert.Equal(Utc(2029, 2, 28), Ok(given.Engine.Buy(given.Now, "alice", 10)).Expires); // clamped to the month's end
    }

    [Fact]
    public void A_bonus_is_an_operator_grant_outside_the_cap_with_its_own_expiry()
    {
        var given = new Given().Members("alice", "bea").Subscribe("alice");

        var lot = Ok(given.Engine.GrantBonus(given.Now, "alice", 40, 30, "referral"));

        Assert.Equal((LotSource.Bonus, 40, Utc(2026, 2, 4)), (lot.Source, lot.Remaining, lot.Expires));
        Assert.Equal(55, given.Credits("alice"));
        Assert.Equal("referral", given.Ledger("alice").Last().Note);
        given.Refuses(RefusalCode.InvalidInput, () => given.Engine.GrantBonus(given.Now, "alice", 0, 30, null));
        given.Refuses(RefusalCode.InvalidInput, () => given.Engine.GrantBonus(given.Now, "alice", 1, 0, null));
        given.Refuses(RefusalCode.InvalidInput, () => given.Engine.GrantBonus(given.Now, "alice", 1, 30, "bad\u0007reason"));
        given.Refuses(RefusalCode.UnknownMember, () => given.Engine.GrantBonus(given.Now, "ghost", 1, 30, null));
    }
}
