using InMail.Domain.Catalog;
using InMail.Domain.Credits;
using static InMail.Domain.Tests.Rules.Given;

namespace InMail.Domain.Tests.Rules;

/// <summary>SPEC §3 allowance: a lot per cycle, living 90 days, clipped so live allowance never exceeds the cap.</summary>
public sealed class AllowanceTests
{
    [Theory]
    [InlineData("premium-career", 5)]
    [InlineData("premium-business", 15)]
    [InlineData("sales-navigator-core", 50)]
    [InlineData("recruiter-lite", 30)]
    [InlineData("recruiter-professional", 100)]
    [InlineData("recruiter-corporate", 150)]
    public void Subscribing_grants_the_plan_allowance_at_once_in_a_lot_that_expires_90_days_later(string plan, int credits)
    {
        var given = new Given().Members("alice").Subscribe("alice", plan);

        Assert.Equal(credits, given.Credits("alice"));
        Assert.Equal([(LotSource.Allowance, credits, Utc(2026, 4, 5))], given.Lots("alice"));
        var entry = Assert.Single(given.Ledger("alice"));
        Assert.Equal((LedgerKind.Grant, credits, Start), (entry.Kind, entry.Delta, entry.At));
    }

    [Fact]
    public void Every_monthly_cycle_grants_the_allowance_again()
    {
        var given = new Given().Members("alice").Subscribe("alice");

        Assert.Equal(15, given.At(Utc(2026, 2, 4, 23, 59, 59)).Credits("alice"));
        Assert.Equal(30, given.At(Utc(2026, 2, 5)).Credits("alice"));
        Assert.Equal(45, given.At(Utc(2026, 3, 5)).Credits("alice"));
    }

    [Fact]
    public void Annual_billing_still_grants_every_month()
    {
        var given = new Given().Members("alice").Subscribe("alice", "sales-navigator-core", BillingPeriod.Annual);

        Assert.Equal(100, given.At(Utc(2026, 2, 5)).Credits("alice"));
        Assert.Equal(150, given.At(Utc(2026, 3, 5)).Credits("alice"));
        Assert.Equal(150, given.At(Utc(2026, 4, 5)).Credits("alice"));
        Assert.Equal(4, given.Ledger("alice").Count(e => e.Kind == LedgerKind.Grant));
    }

    [Fact]
    public void An_allowance_lot_expires_90_days_after_its_grant_and_is_gone_at_that_instant()
    {
        var given = new Given().Members("alice").Subscribe("alice", "premium-career").Buy("alice", 10);
        given.At(Utc(2026, 4, 5) - Second);
        Assert.Contains((LotSource.Allowance, 5, Utc(2026, 4, 5)), given.Lots("alice"));

        given.At(Utc(2026, 4, 5));

        Assert.DoesNotContain(given.Lots("alice"), l => l.Expires == Utc(2026, 4, 5));
        var expired = given.Ledger("alice").Single(e => e.Kind == LedgerKind.Expire);
        Assert.Equal((Utc(2026, 4, 5), -5), (expired.At, expired.Delta));
    }

    [Fact]
    public void A_grant_is_clipped_wholly_by_the_cap_when_live_allowance_already_fills_it()
    {
        // Anchored Feb 1: Feb 1 + 90 days is May 2, so on May 1 three untouched lots (45) are still live.
        var given = new Given().At(Utc(2026, 2, 1)).Members("alice").Subscribe("alice");
        given.At(Utc(2026, 4, 1));
        Assert.Equal(45, given.Credits("alice"));
        var entries = given.Ledger("alice").Count;

        given.At(Utc(2026, 5, 1));

        Assert.Equal(45, given.Credits("alice"));
        Assert.Equal(entries, given.Ledger("alice").Count); // a grant of 0 writes no lot and no entry
        Assert.Equal(3, given.Member("alice").Wallet.AllLots.Count);
        Assert.Equal(4, given.Member("alice").Subscription!.NextCycle); // the cycle still counts as granted

        given.At(Utc(2026, 5, 2));
        Assert.Equal(30, given.Credits("alice")); // the Feb lot expired; no late top-up
        given.At(Utc(2026, 6, 1));
        Assert.Equal(30, given.Credits("alice")); // Mar lot expired May 30; June grant 15 under the cap
    }

    [Fact]
    public void A_grant_is_clipped_partly_by_the_cap()
    {
        var given = new Given().At(Utc(2026, 2, 1)).Members("alice", "r1", "r2").Subscribe("alice");
        given.At(Utc(2026, 4, 10));
        for (var i = 0; i < 4; i++)
        {
            given.Sends("alice", "r1");
        }
        given.Sends("alice", "r2"); // five credits from the Feb lot, which expires first
        Assert.Equal(40, given.Credits("alice"));

        given.At(Utc(2026, 5, 1));

        // grant = min(15, max(0, 45 − 40)) = 5
        Assert.Equal(45, given.Credits("alice"));
        var grant = given.Ledger("alice").Last();
        Assert.Equal((LedgerKind.Grant, 5, Utc(2026, 5, 1)), (grant.Kind, grant.Delta, grant.At));
        Assert.Contains("clipped", grant.Note, StringComparison.Ordinal);
        Assert.Contains((LotSource.Allowance, 5, Utc(2026, 7, 30)), given.Lots("alice"));
    }

    [Fact]
    public void Purchase_and_bonus_lots_are_outside_the_cap()
    {
        var given = new Given().Members("alice").Subscribe("alice", "premium-career").Buy("alice", 100).Bonus("alice", 50, 365);

        given.At(Utc(2026, 3, 5));

        Assert.Equal(165, given.Credits("alice"));
        Assert.Equal(3, given.Ledger("alice").Count(e => e.Kind == LedgerKind.Grant && e.Delta == 5));
    }

    [Fact]
    public void Refund_lots_are_outside_the_cap()
    {
        // Premium Career, cap 15: the Mar 5 grant is a full 5 although a refund lot holds 1 more.
        var given = new Given().Members("alice", "bob").Subscribe("alice", "premium-career").Bonus("alice", 1, 2);
        given.At(Utc(2026, 1, 6));
        var m = given.Sends("alice", "bob"); // the bonus lot expires first, so it pays
        given.At(Utc(2026, 1, 20));
        Given.Ok(given.Respond("bob", m.Message.Id)); // the bonus lot is gone: a refund lot of 1
        Assert.Contains((LotSource.Refund, 1, Utc(2026, 4, 20)), given.Lots("alice"));

        given.At(Utc(2026, 3, 5));

        Assert.Equal(16, given.Credits("alice"));
        Assert.Equal(5, given.Ledger("alice").Last(e => e.Kind == LedgerKind.Grant).Delta);
    }

    [Fact]
    public void Basic_members_receive_no_allowance()
    {
        var given = new Given().Members("bea");

        given.At(Utc(2026, 6, 1));

        Assert.Equal(0, given.Credits("bea"));
        Assert.Empty(given.Ledger("bea"));
        Assert.Equal("basic", given.View("bea").Plan);
    }
}
