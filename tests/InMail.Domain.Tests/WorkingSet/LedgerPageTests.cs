using InMail.Domain.Catalog;
using InMail.Domain.Credits;
using InMail.Domain.Network;
using InMail.Domain.WorkingSet;

namespace InMail.Domain.Tests.WorkingSet;

/// <summary>
/// Issue 9: a wallet's ledger is read a page at a time, from what is stored and what is not yet,
/// with the balance before the page; pages put together are the whole ledger, whatever was stored when.
/// </summary>
public sealed class LedgerPageTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Pages_put_together_are_the_whole_ledger_with_the_balance_before_each(bool workingSet)
    {
        var engine = new InMailEngine(PlanCatalog.Default);
        var source = new MemoryStateSource();
        if (workingSet)
        {
            engine.State.Attach(source, PlanCatalog.Default);
        }
        var now = Start;
        Assert.True(engine.AddMember(now, "alice", new Profile("Alice")).IsSuccess);
        Assert.True(engine.Subscribe(now, "alice", "premium-business", BillingPeriod.Monthly).IsSuccess);
        for (var i = 0; i < 7; i++)
        {
            now = now.AddDays(9);
            Assert.True(engine.GrantBonus(now, "alice", i + 1, 30, $"bonus {i}").IsSuccess); // bonuses, grants and expiries
            if (workingSet && i == 3)
            {
                source.Save(engine.State); // half the ledger is stored, the rest is not yet
                engine.State.EvictAll();
            }
        }
        var wallet = engine.State.FindMember("alice")!.Wallet;
        engine.CatchUp(now, engine.State.FindMember("alice")!);
        var whole = wallet.Ledger;
        Assert.True(whole.Count > 12, $"{whole.Count} entries");
        if (workingSet)
        {
            Assert.NotEmpty(wallet.PendingEntries);
            Assert.True(wallet.PendingEntries.Count < whole.Count);
        }

        var pages = new List<LedgerEntry>();
        long? before = null;
        while (true)
        {
            var (entries, balanceBefore) = wallet.LedgerPage(before, 5);
            if (entries.Count == 0)
            {
                break;
            }
            Assert.Equal(whole.TakeWhile(e => e.Sequence < entries[0].Sequence).Sum(e => e.Delta), balanceBefore);
            pages.InsertRange(0, entries);
            before = entries[0].Sequence;
        }
        Assert.Equal(whole, pages);
        Assert.Equal(wallet.Balance, whole.Sum(e => e.Delta));
    }
}
