using InMail.Domain.Catalog;
using InMail.Domain.Credits;
using InMail.Domain.Messaging;
using static InMail.Domain.Tests.Rules.Given;

namespace InMail.Domain.Tests.Rules;

/// <summary>SPEC §3 ledger: every change is an entry, one per lot touched; balances recompute from it at any past instant.</summary>
public sealed class LedgerTests
{
    /// <summary>A busy half year for Alice, with her balance noted after each step.</summary>
    private static (Given Given, List<(DateTimeOffset At, int Balance)> Seen) BusyHalfYear()
    {
        var given = new Given().Members("alice", "bob", "carl", "dora").Subscribe("alice", "premium-career");
        var seen = new List<(DateTimeOffset, int)>();
        void Note() => seen.Add((given.Now, given.View("alice") is { } v ? v.Usable + v.Frozen : 0));

        Note();
        given.At(Utc(2026, 1, 10)).Buy("alice", 10); Note();
        given.At(Utc(2026, 1, 11)).Bonus("alice", 3, 5); Note();
        given.At(Utc(2026, 1, 12)).Sends("alice", "bob", "m1"); Note();
        given.At(Utc(2026, 1, 13)).Sends("alice", "bob", "m2"); Note();
        given.At(Utc(2026, 1, 20)).Sends("alice", "carl", "m3"); Note();
        given.At(Utc(2026, 1, 21)); Ok(given.Respond("bob", "m1", ResponseKind.Accept, null)); Note(); // bonus lot gone: refund lot of 2
        given.At(Utc(2026, 2, 5)); Note();
        given.At(Utc(2026, 2, 6)); Ok(given.Respond("carl", "m3")); Note();
        given.At(Utc(2026, 3, 1)); Ok(given.Engine.ChangePlan(given.Now, "alice", "premium-business", BillingPeriod.Monthly)); Note();
        given.At(Utc(2026, 3, 2)).Sends("alice", "dora", "m4"); Note();
        given.At(Utc(2026, 4, 1)); Ok(given.Engine.Cancel(given.Now, "alice")); Note();
        given.At(Utc(2026, 4, 21)); Note(); // the refund lot (m4 spent one of its two) expired Apr 21
        given.At(Utc(2026, 5, 1)); Note(); // the plan ended: allowance forfeited, the pack frozen
        given.At(Utc(2026, 7, 1)); Note();
        return (given, seen);
    }

    [Fact]
    public void The_balance_as_of_any_past_instant_is_what_it_was_then_and_is_the_sum_of_the_entries_up_to_it()
    {
        var (given, seen) = BusyHalfYear();

        foreach (var (at, balance) in seen)
        {
            var (asOf, entries) = Ok(given.Engine.BalanceAsOf(given.Now, "alice", at));
            Assert.Equal(balance, asOf);
            Assert.Equal(balance, entries.Sum(e => e.Delta));
            Assert.All(entries, e => Assert.True(e.At <= at));
        }
        Assert.Equal(10, given.Frozen("alice"));
    }

    [Fact]
    public void Between_recorded_instants_the_balance_is_that_of_the_last_change()
    {
        var (given, _) = BusyHalfYear();

        Assert.Equal(5, Ok(given.Engine.BalanceAsOf(given.Now, "alice", Utc(2026, 1, 9, 23, 59, 59))).Balance);
        Assert.Equal(15, Ok(given.Engine.BalanceAsOf(given.Now, "alice", Utc(2026, 1, 10))).Balance);
        Assert.Equal(0, Ok(given.Engine.BalanceAsOf(given.Now, "alice", Utc(2025, 12, 31))).Balance);
    }

    [Fact]
    public void Every_lot_remaining_is_the_sum_of_its_entries()
    {
        var (given, _) = BusyHalfYear();
        var wallet = given.Member("alice").Wallet;

        foreach (var lot in wallet.AllLots)
        {
            Assert.Equal(lot.Remaining, wallet.Ledger.Where(e => e.LotId == lot.Id).Sum(e => e.Delta));
            Assert.All(wallet.Ledger.Where(e => e.LotId == lot.Id), e => Assert.Equal((lot.Source, lot.Expires), (e.Source, e.LotExpires)));
        }
        Assert.Equal(wallet.Balance, wallet.Ledger.Sum(e => e.Delta));
    }

    [Fact]
    public void Entries_are_in_time_order_with_increasing_sequence_numbers()
    {
        var (given, _) = BusyHalfYear();
        var ledger = given.Ledger("alice");

        Assert.All(ledger.Zip(ledger.Skip(1)), p =>
        {
            Assert.True(p.First.At <= p.Second.At);
            Assert.True(p.First.Sequence < p.Second.Sequence);
        });
        Assert.All(ledger, e => Assert.Equal(WalletId.ForMember("alice"), e.Wallet));
    }

    [Fact]
    public void Each_change_is_explained_by_its_kind_with_one_entry_per_lot_touched()
    {
        var (given, _) = BusyHalfYear();
        var ledger = given.Ledger("alice");

        Assert.Equal(
            [LedgerKind.Grant, LedgerKind.Purchase, LedgerKind.Bonus, LedgerKind.Spend, LedgerKind.Spend, LedgerKind.Expire, LedgerKind.Spend],
            ledger.Where(e => e.At <= Utc(2026, 1, 20)).Select(e => e.Kind));
        var refundFor2 = Assert.Single(ledger, e => e.At == Utc(2026, 1, 21));
        Assert.Equal((LedgerKind.Refund, LotSource.Refund, 2, "m1"), (refundFor2.Kind, refundFor2.Source, refundFor2.Delta, refundFor2.MessageId));
        var refundFor3 = Assert.Single(ledger, e => e.At == Utc(2026, 2, 6));
        Assert.Equal((LedgerKind.Refund, LotSource.Allowance, 1, "m3"), (refundFor3.Kind, refundFor3.Source, refundFor3.Delta, refundFor3.MessageId));
        Assert.Equal(
            [(LedgerKind.Forfeit, -5), (LedgerKind.Forfeit, -5), (LedgerKind.Grant, 15)],
            ledger.Where(e => e.At == Utc(2026, 3, 1)).Select(e => (e.Kind, e.Delta)));
        Assert.Equal(
            [(LedgerKind.Expire, LotSource.Refund, -1)], // m4 took one of its two credits
            ledger.Where(e => e.At == Utc(2026, 4, 21)).Select(e => (e.Kind, e.Source, e.Delta)));
        Assert.All(ledger.Where(e => e.Kind == LedgerKind.Spend), e => Assert.NotNull(e.MessageId));
        Assert.All(ledger.Where(e => e.Kind is LedgerKind.Grant or LedgerKind.Purchase or LedgerKind.Bonus or LedgerKind.Forfeit), e => Assert.False(string.IsNullOrEmpty(e.Note)));
    }

    [Fact]
    public void A_lot_that_expires_empty_writes_no_entry()
    {
        var given = new Given().Members("alice", "bob").Subscribe("alice").Bonus("alice", 1, 5);
        given.Sends("alice", "bob");
        given.At(Utc(2026, 2, 1));

        Assert.DoesNotContain(given.Ledger("alice"), e => e.Kind == LedgerKind.Expire);
        Assert.Equal(Utc(2026, 1, 10), given.Member("alice").Wallet.AllLots.Single(l => l.Source == LotSource.Bonus).EndedAt);
    }

    [Fact]
    public void A_scheduled_expiry_is_recorded_at_its_own_instant_even_when_noticed_later()
    {
        var given = new Given().Members("alice").Subscribe("alice").Bonus("alice", 4, 5);

        given.At(Utc(2026, 3, 1));

        var expiry = given.Ledger("alice").Single(e => e.Kind == LedgerKind.Expire);
        Assert.Equal((Utc(2026, 1, 10), -4), (expiry.At, expiry.Delta));
    }

    [Fact]
    public void A_balance_cannot_be_asked_for_the_future_or_for_an_unknown_member()
    {
        var given = new Given().Members("alice");

        given.Refuses(RefusalCode.InvalidInput, () => given.Engine.BalanceAsOf(given.Now, "alice", given.Now + Second));
        given.Refuses(RefusalCode.UnknownMember, () => given.Engine.BalanceAsOf(given.Now, "ghost", given.Now));
        Assert.Equal(0, Ok(given.Engine.BalanceAsOf(given.Now, "alice", given.Now)).Balance);
    }

    [Fact]
    public void Pool_entries_name_the_seat_that_caused_them()
    {
        var given = new Given().Members("a1", "a2", "bob").Team("acme", ["a1", "a2"]);
        var sent = given.Sends("a2", "bob");
        Ok(given.Respond("bob", sent.Message.Id));

        var pool = given.TeamOf("acme").Pool.Ledger;

        Assert.Equal(
            [(LedgerKind.Grant, 100, (string?)null), (LedgerKind.Spend, -1, "a2"), (LedgerKind.Refund, 1, "a2")],
            pool.Select(e => (e.Kind, e.Delta, e.Member)));
        Assert.All(pool, e => Assert.Equal(WalletId.ForTeam("acme"), e.Wallet));
        Assert.Equal("team:acme", WalletId.ForTeam("acme").ToString());
    }

    [Fact]
    public void A_wallets_numbering_does_not_depend_on_when_it_was_caught_up()
    {
        // Two systems receive the same commands; one of them is read every day in between, which
        // catches Alice up early. Lots and entries are numbered per wallet, so both ledgers agree
        // entry for entry: what lets several processes apply one command log and stay identical.
        static IReadOnlyList<LedgerEntry> Run(bool readDaily)
        {
            // Bob's grants and expiries would interleave with Alice's under a system-wide numbering.
            var given = new Given().Members("alice", "bob", "carl").Subscribe("alice", "premium-career").Subscribe("bob");
            given.Bonus("alice", 3, 20);
            for (var day = 1; day <= 150; day++)
            {
                given.After(Days(1));
                if (readDaily)
                {
                    _ = given.View("alice");
                    _ = given.View("bob");
                }
                if (day % 30 == 0)
                {
                    Ok(given.Engine.Send(given.Now, new SendRequest("alice", day % 60 == 0 ? "bob" : "carl", "Hi", "Hello"), $"m{day}"));
                }
            }
            return given.Ledger("alice");
        }

        var quiet = Run(readDaily: false);
        var busy = Run(readDaily: true);

        Assert.Equal(quiet.Count, busy.Count);
        Assert.Equal(quiet, busy);
    }
}
