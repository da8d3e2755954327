using InMail.Domain.Catalog;
using InMail.Domain.Credits;
using InMail.Domain.Messaging;
using static InMail.Domain.Tests.Rules.Given;

namespace InMail.Domain.Tests.Rules;

/// <summary>SPEC §3 refund: the recipient's first response returns credits spent at most 90 days before it.</summary>
public sealed class RefundTests
{
    [Fact]
    public void Refund_returns_credit_to_its_lot_while_it_is_live()
    {
        var given = new Given().Members("alice", "bob").Subscribe("alice");
        var sent = given.Sends("alice", "bob", "m1");
        var lot = sent.Quote.ChargedLot!;
        given.At(Utc(2026, 2, 1));

        var responded = Ok(given.Respond("bob", "m1"));

        Assert.Equal(1, responded.CreditsRefunded);
        Assert.Equal(15, lot.Remaining);
        Assert.Equal(15, given.Credits("alice"));
        var refund = given.Ledger("alice").Last();
        Assert.Equal((LedgerKind.Refund, 1, lot.Id, "m1", Utc(2026, 2, 1)), (refund.Kind, refund.Delta, refund.LotId, refund.MessageId, refund.At));
        Assert.DoesNotContain(given.Lots("alice"), l => l.Source == LotSource.Refund);
        Assert.Equal(Utc(2026, 2, 1), sent.Message.RefundedAt);
    }

    [Theory]
    [InlineData(ResponseKind.Reply, "Sure, let us talk.")]
    [InlineData(ResponseKind.Accept, null)]
    [InlineData(ResponseKind.Decline, null)]
    [InlineData(ResponseKind.Decline, "No thanks.")]
    public void Any_response_refunds_reply_accept_or_decline(ResponseKind kind, string? body)
    {
        var given = new Given().Members("alice", "bob").Subscribe("alice");
        var sent = given.Sends("alice", "bob");

        var responded = Ok(given.Respond("bob", sent.Message.Id, kind, body));

        Assert.Equal(1, responded.CreditsRefunded);
        Assert.Equal(15, given.Credits("alice"));
        Assert.Equal(kind, sent.Message.Response);
        Assert.Equal(kind, responded.Response.RespondsWith);
    }

    [Fact]
    public void A_message_the_recipient_writes_is_a_response_and_refunds()
    {
        var given = new Given().Members("alice", "bob").Subscribe("alice");
        var sent = given.Sends("alice", "bob");

        var reply = Ok(given.Send("bob", "alice", null, "Happy to chat."));

        Assert.Equal(SendPath.Message, reply.Quote.Path);
        Assert.Equal(15, given.Credits("alice"));
        Assert.Equal(ResponseKind.Reply, sent.Message.Response);
    }

    [Fact]
    public void Every_credit_spent_in_the_thread_before_the_response_comes_back()
    {
        var given = new Given().Members("alice", "bob").Subscribe("alice");
        var sent = Enumerable.Range(0, 3).Select(_ => given.After(Days(1)).Sends("alice", "bob")).ToList();
        Assert.Equal(12, given.Credits("alice"));

        var responded = Ok(given.Respond("bob", sent[0].Message.Id, ResponseKind.Accept));

        Assert.Equal(3, responded.CreditsRefunded);
        Assert.Equal(15, given.Credits("alice"));
        Assert.All(sent, s => Assert.NotNull(s.Message.RefundedAt));
        Assert.Equal(3, given.Ledger("alice").Count(e => e.Kind == LedgerKind.Refund)); // one entry per credit returned to its lot
    }

    [Fact]
    public void A_response_exactly_90_days_after_the_spend_refunds()
    {
        var given = new Given().Members("alice", "bob").Subscribe("alice").Buy("alice", 10);
        given.At(Utc(2026, 1, 10, 9, 0, 0));
        var sent = given.Sends("alice", "bob");
        var pending = Assert.Single(given.Engine.PendingRefunds(given.Now, given.Member("alice")));
        Assert.Equal(Utc(2026, 4, 10, 9, 0, 0), pending.Deadline);

        given.At(Utc(2026, 4, 10, 9, 0, 0));
        var responded = Ok(given.Respond("bob", sent.Message.Id));

        Assert.Equal(1, responded.CreditsRefunded);
    }

    [Fact]
    public void A_response_one_second_after_90_days_refunds_nothing()
    {
        var given = new Given().Members("alice", "bob").Subscribe("alice").Buy("alice", 10);
        given.At(Utc(2026, 1, 10, 9, 0, 0));
        var sent = given.Sends("alice", "bob");
        given.At(Utc(2026, 4, 10, 9, 0, 1));
        Assert.Empty(given.Engine.PendingRefunds(given.Now, given.Member("alice")));
        var credits = given.Credits("alice");
        var entries = given.Ledger("alice").Count;

        var responded = Ok(given.Respond("bob", sent.Message.Id));

        Assert.Equal(0, responded.CreditsRefunded);
        Assert.Equal(credits, given.Credits("alice"));
        Assert.Equal(entries, given.Ledger("alice").Count);
        Assert.Null(sent.Message.RefundedAt);
        Assert.Equal(ResponseKind.Reply, sent.Message.Response); // it was a response all the same
    }

    [Fact]
    public void Only_credits_spent_within_90_days_of_the_response_come_back()
    {
        var given = new Given().Members("alice", "bob").Subscribe("alice").Buy("alice", 10);
        var old = given.Sends("alice", "bob");
        given.At(Utc(2026, 2, 20));
        var recent = given.Sends("alice", "bob");

        given.At(Utc(2026, 4, 20)); // 105 days after the first, 59 after the second
        var responded = Ok(given.Respond("bob", recent.Message.Id));

        Assert.Equal(1, responded.CreditsRefunded);
        Assert.Null(old.Message.RefundedAt);
        Assert.NotNull(recent.Message.RefundedAt);
    }

    [Fact]
    public void When_the_origin_lot_has_expired_the_credit_comes_back_in_a_new_refund_lot_living_90_days_from_the_response()
    {
        var given = new Given().Members("alice", "bob").Subscribe("alice");
        given.At(Utc(2026, 3, 1));
        var sent = given.Sends("alice", "bob"); // from the Jan lot, which expires Apr 5

        given.At(Utc(2026, 4, 20));
        var responded = Ok(given.Respond("bob", sent.Message.Id));

        Assert.Equal(1, responded.CreditsRefunded);
        Assert.Contains((LotSource.Refund, 1, Utc(2026, 7, 19)), given.Lots("alice"));
        var entry = given.Ledger("alice").Last();
        Assert.Equal((LedgerKind.Refund, LotSource.Refund, 1, Utc(2026, 4, 20)), (entry.Kind, entry.Source, entry.Delta, entry.At));
    }

    [Fact]
    public void A_response_at_the_instant_the_origin_lot_expires_goes_to_a_new_refund_lot()
    {
        var given = new Given().Members("alice", "bob").Subscribe("alice").Bonus("alice", 1, 10);
        var sent = given.Sends("alice", "bob");
        Assert.Equal(LotSource.Bonus, sent.Quote.ChargedLot!.Source);

        given.At(Utc(2026, 1, 15));
        Ok(given.Respond("bob", sent.Message.Id));

        Assert.Contains((LotSource.Refund, 1, Utc(2026, 4, 15)), given.Lots("alice"));
        Assert.Equal(0, sent.Quote.ChargedLot.Remaining);
    }

    [Fact]
    public void One_refund_lot_per_response_and_wallet_while_live_origins_get_theirs_back()
    {
        var given = new Given().Members("alice", "bob").Subscribe("alice").Bonus("alice", 2, 10);
        var fromBonus1 = given.Sends("alice", "bob", "b1");
        var fromBonus2 = given.Sends("alice", "bob", "b2");
        given.At(Utc(2026, 1, 20));
        var fromAllowance = given.Sends("alice", "bob", "a1");
        Assert.Equal(LotSource.Bonus, fromBonus2.Quote.ChargedLot!.Source);
        Assert.Equal(LotSource.Allowance, fromAllowance.Quote.ChargedLot!.Source);
        var entriesBefore = given.Ledger("alice").Count;

        var responded = Ok(given.Respond("bob", "a1"));

        Assert.Equal(3, responded.CreditsRefunded);
        var refundLot = Assert.Single(given.Member("alice").Wallet.AllLots, l => l.Source == LotSource.Refund);
        Assert.Equal((2, Utc(2026, 4, 20)), (refundLot.Granted, refundLot.Expires));
        var added = given.Ledger("alice").Skip(entriesBefore).ToList();
        Assert.Equal(2, added.Count); // one entry per lot touched: the allowance lot and the new refund lot
        Assert.Contains(added, e => e.LotId == fromAllowance.Quote.ChargedLot.Id && e.Delta == 1);
        Assert.Contains(added, e => e.LotId == refundLot.Id && e.Delta == 2);
        Assert.Contains("b1, b2", added.Single(e => e.LotId == refundLot.Id).Note, StringComparison.Ordinal);
        Assert.Equal(17, given.Credits("alice")); // 15 allowance + the 2 bonus credits, now in the refund lot
        Assert.NotNull(fromBonus1.Message.RefundedAt);
    }

    [Fact]
    public void A_credit_from_an_allowance_lot_forfeited_by_a_plan_change_comes_back_in_a_refund_lot()
    {
        var given = new Given().Members("alice", "bob").Subscribe("alice", "premium-career");
        var sent = given.Sends("alice", "bob");
        given.At(Utc(2026, 1, 10));
        Ok(given.Engine.ChangePlan(given.Now, "alice", "premium-business", BillingPeriod.Monthly));

        given.At(Utc(2026, 1, 12));
        Ok(given.Respond("bob", sent.Message.Id));

        Assert.Equal(16, given.Credits("alice"));
        Assert.Contains((LotSource.Refund, 1, Utc(2026, 4, 12)), given.Lots("alice"));
    }

    [Fact]
    public void A_second_response_refunds_nothing_more()
    {
        var given = new Given().Members("alice", "bob").Subscribe("alice");
        var sent = given.Sends("alice", "bob");
        Ok(given.Respond("bob", sent.Message.Id, ResponseKind.Accept));
        var entries = given.Ledger("alice").Count;

        var again = Ok(given.Respond("bob", sent.Message.Id, ResponseKind.Decline));

        Assert.Equal(0, again.CreditsRefunded);
        Assert.Equal(entries, given.Ledger("alice").Count);
        Assert.Equal(ResponseKind.Accept, sent.Message.Response); // the first response is the one that counts
    }

    [Fact]
    public void A_spam_report_is_not_a_response()
    {
        var given = new Given().Members("alice", "bob").Subscribe("alice");
        var sent = given.Sends("alice", "bob");

        Ok(given.Engine.ReportSpam(given.Now, "bob", sent.Message.Id));

        Assert.Equal(14, given.Credits("alice"));
        Assert.Null(sent.Message.Response);
        Assert.Single(given.Engine.PendingRefunds(given.Now, given.Member("alice")));
        Assert.Equal(SendPath.InMail, Ok(given.Quote("alice", "bob")).Path); // the conversation is not open
    }

    [Fact]
    public void A_response_to_an_open_profile_InMail_refunds_nothing_because_it_cost_nothing()
    {
        var given = new Given().Members("sam", "olga").Subscribe("olga").OpenProfile("olga");
        var sent = Ok(given.InMail("sam", "olga"));
        Assert.Equal(SendPath.OpenProfile, sent.Quote.Path);

        var responded = Ok(given.Respond("olga", sent.Message.Id, ResponseKind.Accept));

        Assert.Equal(0, responded.CreditsRefunded);
        Assert.Empty(given.Ledger("sam"));
    }

    [Fact]
    public void A_refund_to_a_member_now_on_basic_comes_back_frozen()
    {
        var given = new Given().Members("alice", "bob").Subscribe("alice").Buy("alice", 10);
        given.Sends("alice", "bob", "m1");
        given.Sends("alice", "bob", "m2");
        given.Sends("alice", "bob", "m3");
        Ok(given.Engine.Cancel(given.Now, "alice"));
        given.At(Utc(2026, 2, 10));
        Assert.Equal(0, given.Credits("alice"));

        Ok(given.Respond("bob", "m1"));

        // The allowance lot was forfeited at the end, so the three credits come back in one refund lot.
        Assert.Equal(0, given.Credits("alice"));
        Assert.Equal(13, given.Frozen("alice"));
    }

    [Fact]
    public void Pending_refunds_list_what_may_come_back_and_until_when()
    {
        var given = new Given().Members("alice", "bob", "carl").Subscribe("alice");
        given.Sends("alice", "bob", "m1");
        given.At(Utc(2026, 1, 6)).Sends("alice", "carl", "m2");

        var pending = given.View("alice").MayComeBack;

        Assert.Equal(["m1", "m2"], pending.Select(p => p.InMail.Id));
        Assert.Equal([Utc(2026, 4, 5), Utc(2026, 4, 6)], pending.Select(p => p.Deadline));
    }
}
