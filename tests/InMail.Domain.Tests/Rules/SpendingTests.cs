using InMail.Domain.Credits;
using InMail.Domain.Messaging;
using static InMail.Domain.Tests.Rules.Given;

namespace InMail.Domain.Tests.Rules;

/// <summary>SPEC §3 spending: one credit from the live lot that expires first; a refused send costs nothing.</summary>
public sealed class SpendingTests
{
    [Fact]
    public void A_paid_InMail_costs_one_credit()
    {
        var given = new Given().Members("alice", "bob").Subscribe("alice");

        var sent = given.Sends("alice", "bob", "m1");

        Assert.Equal((SendPath.InMail, 1), (sent.Quote.Path, sent.Quote.Cost));
        Assert.Equal(1, sent.Message.Cost);
        Assert.Equal(14, given.Credits("alice"));
        var spend = given.Ledger("alice").Last();
        Assert.Equal((LedgerKind.Spend, -1, "m1", Start), (spend.Kind, spend.Delta, spend.MessageId, spend.At));
    }

    [Fact]
    public void A_paid_InMail_takes_its_credit_from_the_live_lot_that_expires_first()
    {
        var given = new Given().Members("alice", "bob").Subscribe("alice").Buy("alice", 10).Bonus("alice", 3, 10);

        var sent = given.Sends("alice", "bob");

        Assert.Equal(LotSource.Bonus, sent.Quote.ChargedLot!.Source);
        Assert.Equal(
            [(LotSource.Bonus, 2, Utc(2026, 1, 15)), (LotSource.Allowance, 15, Utc(2026, 4, 5)), (LotSource.Purchase, 10, Utc(2027, 1, 5))],
            given.Lots("alice"));
    }

    [Fact]
    public void On_equal_expiry_the_earlier_grant_is_spent_first()
    {
        var given = new Given().Members("alice", "bob").Subscribe("alice");
        given.Bonus("alice", 1, 30);                    // granted Jan 5, expires Feb 4
        given.At(Utc(2026, 1, 6)).Bonus("alice", 1, 29); // granted Jan 6, expires Feb 4 too
        var first = given.Member("alice").Wallet.LiveLots.First(l => l.Source == LotSource.Bonus && l.GrantedAt == Start);

        var sent = given.Sends("alice", "bob");

        Assert.Equal(first.Id, sent.Quote.ChargedLot!.Id);
    }

    [Fact]
    public void On_equal_expiry_and_grant_the_earlier_lot_is_spent_first()
    {
        var given = new Given().Members("alice", "bob").Subscribe("alice").Bonus("alice", 1, 30).Bonus("alice", 1, 30);
        var bonuses = given.Member("alice").Wallet.LiveLots.Where(l => l.Source == LotSource.Bonus).ToList();

        var first = given.Sends("alice", "bob");
        var second = given.Sends("alice", "bob");

        Assert.Equal(bonuses.Min(l => l.Id), first.Quote.ChargedLot!.Id);
        Assert.Equal(bonuses.Max(l => l.Id), second.Quote.ChargedLot!.Id);
    }

    [Fact]
    public void A_lot_is_usable_before_its_expiry_and_gone_at_it()
    {
        var given = new Given().Members("alice").Subscribe("alice");
        var lot = Ok(given.Engine.GrantBonus(given.Now, "alice", 1, 10, null));

        Assert.True(lot.IsLiveAt(lot.Expires - TimeSpan.FromTicks(1)));
        Assert.False(lot.IsLiveAt(lot.Expires));
        Assert.False(lot.IsLiveAt(lot.Expires + Second));
    }

    [Fact]
    public void A_lot_is_still_spent_one_second_before_it_expires()
    {
        var given = new Given().Members("alice", "bob").Subscribe("alice").Bonus("alice", 1, 10);

        given.At(Utc(2026, 1, 15) - Second);
        var sent = given.Sends("alice", "bob");

        Assert.Equal(LotSource.Bonus, sent.Quote.ChargedLot!.Source);
    }

    [Fact]
    public void A_lot_that_expires_at_the_exact_instant_of_a_send_is_not_used()
    {
        var given = new Given().Members("alice", "bob").Subscribe("alice").Bonus("alice", 1, 10);

        given.At(Utc(2026, 1, 15));
        var sent = given.Sends("alice", "bob");

        Assert.Equal(LotSource.Allowance, sent.Quote.ChargedLot!.Source);
        Assert.Equal(14, given.Credits("alice"));
        Assert.Contains(given.Ledger("alice"), e => e.Kind == LedgerKind.Expire && e.Delta == -1 && e.At == Utc(2026, 1, 15));
    }

    [Fact]
    public void When_the_only_lot_with_credit_expires_at_the_instant_of_a_send_the_send_is_refused_with_no_credits()
    {
        var given = new Given().Members("alice", "bob", "carl").Subscribe("alice", "premium-career");
        for (var i = 0; i < 4; i++)
        {
            given.Sends("alice", "bob");
        }
        given.Sends("alice", "carl");
        given.Bonus("alice", 1, 10);

        given.At(Utc(2026, 1, 15) - Second);
        Assert.Equal(1, Ok(given.Quote("alice", "carl")).CreditsAvailable);
        given.At(Utc(2026, 1, 15));

        given.Refuses(RefusalCode.NoCredits, () => given.InMail("alice", "carl"));
        Assert.Equal(0, given.Credits("alice"));
    }

    [Fact]
    public void With_no_credit_left_a_paid_InMail_is_refused_and_changes_nothing()
    {
        var given = new Given().Members("alice", "bob", "carl").Subscribe("alice", "premium-career");
        for (var i = 0; i < 4; i++)
        {
            given.Sends("alice", "bob");
        }
        given.Sends("alice", "carl");
        Assert.Equal(0, given.Credits("alice"));

        var refusal = given.Refuses(RefusalCode.NoCredits, () => given.InMail("alice", "carl"));

        Assert.Equal("no-credits", refusal.CodeText);
        Assert.Single(given.Engine.State.FindConversation("alice", "carl")!.Messages);
    }

    [Fact]
    public void A_quote_gives_path_cost_and_lot_and_changes_nothing()
    {
        var given = new Given().Members("alice", "bob").Subscribe("alice").Buy("alice", 10);
        var before = given.Snapshot();

        var quote = Ok(given.Quote("alice", "bob"));

        Assert.Equal((SendPath.InMail, 1, 25), (quote.Path, quote.Cost, quote.CreditsAvailable));
        Assert.Equal(LotSource.Allowance, quote.ChargedLot!.Source);
        Assert.Equal(before, given.Snapshot());
        Assert.Equal(25, given.Credits("alice"));
    }

    [Fact]
    public void A_quote_reports_the_refusal_a_send_would_meet()
    {
        var given = new Given().Members("alice", "bob");

        var refusal = given.Refuses(RefusalCode.InMailRequiresPaidPlan, () => given.Quote("alice", "bob"));

        Assert.Contains("paid", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_send_with_a_message_id_already_in_use_is_refused_as_invalid_input()
    {
        var given = new Given().Members("alice", "bob", "carl").Subscribe("alice");
        given.Sends("alice", "bob", "m1");

        given.Refuses(RefusalCode.InvalidInput, () => given.InMail("alice", "carl", "m1"));
        given.Refuses(RefusalCode.InvalidInput, () => given.InMail("alice", "carl", "not a valid id"));
        Assert.Equal(14, given.Credits("alice"));
    }

    [Fact]
    public void A_refused_send_costs_nothing()
    {
        var given = new Given().Members("alice", "bob").Subscribe("alice");

        given.Refuses(RefusalCode.SubjectRequired, () => given.Send("alice", "bob", null, "Hi"));

        Assert.Equal(15, given.Credits("alice"));
        Assert.Single(given.Ledger("alice"));
    }

    [Fact]
    public void Credits_of_an_unknown_member_are_refused()
    {
        var given = new Given();

        given.Refuses(RefusalCode.UnknownMember, () => given.Engine.Credits(given.Now, "ghost"));
    }
}
