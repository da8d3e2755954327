using InMail.Domain.Catalog;
using InMail.Domain.Credits;
using static InMail.Domain.Tests.Rules.Given;

namespace InMail.Domain.Tests.Rules;

/// <summary>SPEC §3 cancel: effective at the end of the paid period; then allowance is forfeited and the member is on basic.</summary>
public sealed class CancelTests
{
    [Fact]
    public void A_monthly_cancel_takes_effect_at_the_end_of_the_current_cycle()
    {
        var given = new Given().Members("rita").At(Utc(2026, 4, 10)).Subscribe("rita", "sales-navigator-core").Buy("rita", 25);
        given.At(Utc(2026, 4, 20));

        var end = Ok(given.Engine.Cancel(given.Now, "rita"));

        Assert.Equal(Utc(2026, 5, 10), end);
        given.At(end - Second);
        Assert.Equal((75, 0, "sales-navigator-core"), (given.Credits("rita"), given.Frozen("rita"), given.View("rita").Plan));
        given.At(end);
        Assert.Equal((0, 25, "basic"), (given.Credits("rita"), given.Frozen("rita"), given.View("rita").Plan));
        Assert.Null(given.Member("rita").Subscription);
        var forfeit = given.Ledger("rita").Single(e => e.Kind == LedgerKind.Forfeit);
        Assert.Equal((end, LotSource.Allowance, -50), (forfeit.At, forfeit.Source, forfeit.Delta));
        Assert.DoesNotContain(given.Ledger("rita"), e => e.Kind == LedgerKind.Grant && e.At == end); // no grant at the end
    }

    [Fact]
    public void A_cancel_at_the_very_start_of_a_cycle_ends_at_the_start_of_the_next()
    {
        var given = new Given().Members("alice").Subscribe("alice");

        Assert.Equal(Utc(2026, 2, 5), Ok(given.Engine.Cancel(given.Now, "alice")));
    }

    [Fact]
    public void A_cancel_on_a_Jan_31_anchor_in_February_ends_on_Feb_28()
    {
        var given = new Given().At(Utc(2026, 1, 31)).Members("alice").Subscribe("alice");
        given.At(Utc(2026, 2, 10));

        Assert.Equal(Utc(2026, 2, 28), Ok(given.Engine.Cancel(given.Now, "alice")));
        Assert.Equal("premium-business", given.At(Utc(2026, 2, 28) - Second).View("alice").Plan);
        Assert.Equal("basic", given.At(Utc(2026, 2, 28)).View("alice").Plan);
    }

    [Fact]
    public void Until_the_end_the_member_keeps_the_plan_and_its_monthly_grants_on_annual_billing()
    {
        var given = new Given().Members("alice", "bob").Subscribe("alice", "premium-business", BillingPeriod.Annual);
        given.At(Utc(2026, 2, 20));

        var end = Ok(given.Engine.Cancel(given.Now, "alice"));

        Assert.Equal(Utc(2027, 1, 5), end); // 12 cycles from the anchor
        given.At(Utc(2026, 12, 5));
        Assert.Equal(45, given.Credits("alice"));
        Assert.Equal(11, given.Ledger("alice").Count(e => e.Kind == LedgerKind.Grant)); // May 5 is clipped to 0
        Assert.Equal(Utc(2026, 12, 5), given.Ledger("alice").Last(e => e.Kind == LedgerKind.Grant).At);
        given.At(end);
        Assert.Equal((0, "basic"), (given.Credits("alice"), given.View("alice").Plan));
        Assert.Equal(2, given.Ledger("alice").Count(e => e.Kind == LedgerKind.Forfeit)); // the Oct lot expired Jan 3
        given.Refuses(RefusalCode.InMailRequiresPaidPlan, () => given.InMail("alice", "bob"));
    }

    [Fact]
    public void An_annual_cancel_in_the_second_year_ends_24_cycles_from_the_anchor()
    {
        var given = new Given().Members("alice").Subscribe("alice", "sales-navigator-core", BillingPeriod.Annual);
        given.At(Utc(2027, 1, 5)); // the first instant of the second year

        Assert.Equal(Utc(2028, 1, 5), Ok(given.Engine.Cancel(given.Now, "alice")));
    }

    [Fact]
    public void Cancelling_twice_answers_with_the_end_already_scheduled()
    {
        var given = new Given().Members("alice").Subscribe("alice");
        var end = Ok(given.Engine.Cancel(given.Now, "alice"));
        given.At(Utc(2026, 1, 20));

        Assert.Equal(end, Ok(given.Engine.Cancel(given.Now, "alice")));
    }

    [Fact]
    public void While_a_cancellation_is_pending_the_member_is_still_subscribed()
    {
        var given = new Given().Members("alice").Subscribe("alice");
        Ok(given.Engine.Cancel(given.Now, "alice"));

        given.Refuses(RefusalCode.AlreadySubscribed, () => given.Engine.Subscribe(given.Now, "alice", "premium-career", BillingPeriod.Monthly));
    }

    [Fact]
    public void After_the_end_the_member_can_subscribe_again_with_a_fresh_anchor()
    {
        var given = new Given().Members("alice").Subscribe("alice").Buy("alice", 10);
        Ok(given.Engine.Cancel(given.Now, "alice"));
        given.At(Utc(2026, 3, 1));

        var sub = Ok(given.Engine.Subscribe(given.Now, "alice", "premium-career", BillingPeriod.Monthly));

        Assert.Equal(Utc(2026, 3, 1), sub.Anchor);
        Assert.Equal((15, 0), (given.Credits("alice"), given.Frozen("alice")));
    }

    [Fact]
    public void Only_a_subscriber_can_cancel()
    {
        var given = new Given().Members("bea");

        given.Refuses(RefusalCode.NoSubscription, () => given.Engine.Cancel(given.Now, "bea"));
        given.Refuses(RefusalCode.UnknownMember, () => given.Engine.Cancel(given.Now, "ghost"));
    }

    [Fact]
    public void After_a_cancelled_plan_ends_cancelling_again_finds_no_subscription()
    {
        var given = new Given().Members("alice").Subscribe("alice");
        Ok(given.Engine.Cancel(given.Now, "alice"));
        given.At(Utc(2026, 2, 5));

        given.Refuses(RefusalCode.NoSubscription, () => given.Engine.Cancel(given.Now, "alice"));
    }

    [Fact]
    public void Changing_to_the_plan_being_cancelled_resumes_it_without_forfeiting_anything()
    {
        var given = new Given().Members("alice").Subscribe("alice");
        given.After(Days(10));
        Ok(given.Engine.Cancel(given.Now, "alice"));
        var ledgerBefore = given.Ledger("alice").Count;

        var resumed = Ok(given.Engine.ChangePlan(given.Now, "alice", "premium-business", BillingPeriod.Monthly));

        Assert.NotNull(resumed);
        Assert.Null(resumed.EndsAt);
        Assert.Equal(Start, resumed.Anchor);
        Assert.Equal(15, given.Credits("alice"));
        Assert.Equal(ledgerBefore, given.Ledger("alice").Count);
        given.At(Utc(2026, 2, 5));
        Assert.Equal(("premium-business", 30), (given.View("alice").Plan, given.Credits("alice")));
    }

    [Fact]
    public void Changing_to_the_same_plan_without_a_pending_cancel_is_refused()
    {
        var given = new Given().Members("alice").Subscribe("alice");

        given.Refuses(RefusalCode.AlreadySubscribed, () => given.Engine.ChangePlan(given.Now, "alice", "premium-business", BillingPeriod.Monthly));
    }
}
