using InMail.Domain.Catalog;
using InMail.Domain.Credits;
using InMail.Domain.Messaging;
using static InMail.Domain.Tests.Rules.Given;

namespace InMail.Domain.Tests.Rules;

/// <summary>SPEC §3 frozen lots and SPEC §6 Open Profile: on basic, lots are kept but unusable, and Open Profile stops working.</summary>
public sealed class FrozenTests
{
    private static Given OnBasicWithAPack()
    {
        var given = new Given().Members("alice", "bob").Subscribe("alice").Buy("alice", 10);
        Ok(given.Engine.ChangePlan(given.Now, "alice", "basic", BillingPeriod.Monthly));
        return given;
    }

    [Fact]
    public void Frozen_lots_on_basic_are_kept_but_cannot_be_spent()
    {
        var given = OnBasicWithAPack();

        Assert.Equal((0, 10), (given.Credits("alice"), given.Frozen("alice")));
        Assert.Contains((LotSource.Purchase, 10, Utc(2027, 1, 5)), given.Lots("alice"));
        given.Refuses(RefusalCode.InMailRequiresPaidPlan, () => given.InMail("alice", "bob"));
    }

    [Fact]
    public void Frozen_lots_still_expire_on_schedule()
    {
        var given = OnBasicWithAPack().Bonus("alice", 3, 20);
        Assert.Equal(13, given.Frozen("alice"));

        given.At(Utc(2026, 1, 25));
        Assert.Equal(10, given.Frozen("alice"));
        given.At(Utc(2027, 1, 5));
        Assert.Equal(0, given.Frozen("alice"));

        var expiries = given.Ledger("alice").Where(e => e.Kind == LedgerKind.Expire).Select(e => (e.At, e.Delta)).ToList();
        Assert.Equal([(Utc(2026, 1, 25), -3), (Utc(2027, 1, 5), -10)], expiries);
    }

    [Fact]
    public void Frozen_lots_thaw_when_the_member_subscribes_again()
    {
        var given = OnBasicWithAPack();
        given.At(Utc(2026, 3, 1));

        given.Subscribe("alice", "premium-career");

        Assert.Equal((15, 0), (given.Credits("alice"), given.Frozen("alice")));
        var sent = given.Sends("alice", "bob");
        Assert.Equal(LotSource.Allowance, sent.Quote.ChargedLot!.Source);
    }

    [Fact]
    public void A_bonus_granted_to_a_basic_member_is_frozen()
    {
        var given = new Given().Members("bea").Bonus("bea", 5, 30);

        Assert.Equal((0, 5), (given.Credits("bea"), given.Frozen("bea")));
    }

    [Fact]
    public void A_basic_member_cannot_buy_credits()
    {
        var given = OnBasicWithAPack();

        given.Refuses(RefusalCode.PurchaseNotAllowed, () => given.Engine.Buy(given.Now, "alice", 10));
    }

    [Fact]
    public void Only_a_paid_member_can_turn_Open_Profile_on()
    {
        var given = new Given().Members("bea", "olga").Subscribe("olga");

        given.Refuses(RefusalCode.OpenProfileRequiresPremium, () => given.Engine.ChangeSettings(given.Now, "bea", openProfile: true));
        Assert.True(Ok(given.Engine.ChangeSettings(given.Now, "olga", openProfile: true)).OpenProfile);
        Assert.False(Ok(given.Engine.ChangeSettings(given.Now, "bea", openProfile: false)).OpenProfile); // turning it off is always fine
        given.Refuses(RefusalCode.UnknownMember, () => given.Engine.ChangeSettings(given.Now, "ghost", inmail: false));
    }

    [Fact]
    public void Open_Profile_stops_working_while_its_owner_is_on_basic_and_works_again_on_resubscribing()
    {
        var given = new Given().Members("sam", "olga").Subscribe("sam").Subscribe("olga").OpenProfile("olga");
        Assert.Equal(SendPath.OpenProfile, Ok(given.Quote("sam", "olga")).Path);
        Ok(given.Engine.Cancel(given.Now, "olga"));

        given.At(Utc(2026, 2, 5));
        Assert.Equal((SendPath.InMail, 1), (Ok(given.Quote("sam", "olga")).Path, Ok(given.Quote("sam", "olga")).Cost));
        Assert.True(given.Member("olga").OpenProfile); // the setting is kept, it just does not work

        given.Subscribe("olga", "premium-career");
        Assert.Equal(SendPath.OpenProfile, Ok(given.Quote("sam", "olga")).Path);
    }
}
