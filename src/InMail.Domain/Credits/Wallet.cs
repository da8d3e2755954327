namespace InMail.Domain.Credits;

/// <summary>
/// The lots of one owner and the append-only ledger that explains them. Every change of a lot's
/// remaining credits goes through here and writes exactly one entry for that lot, so the ledger
/// always recomputes to the lots.
/// </summary>
/// <remarks>
/// In a working set (decision 007) a wallet holds in memory only its live lots, the lots that ended
/// and the entries written since it was last stored (<see cref="MarkStored"/>); the rest of its
/// history is read from the source when asked for (<see cref="Ledger"/>, <see cref="AllLots"/>).
/// The rules never read history: they spend from live lots and refund to a live lot or a new one.
/// </remarks>
public sealed class Wallet
{
    private readonly List<Lot> _live = []; // spending order
    // The live lots holding credits, in spending order: the few that spending, balances and warnings
    // read. A member who buys many small packs keeps hundreds of spent lots live (a refund may still
    // return to them), and scanning those on every send made the plan advisor's replays slow.
    private readonly List<Lot> _holding = [];
    private readonly Dictionary<long, Lot> _lots = []; // live lots, and ended ones not yet stored
    private readonly List<LedgerEntry> _ledger = []; // entries not yet stored (every entry, without a source)
    private WorkingSet.IStateSource? _history;
    private DateTimeOffset? _lastEntryAt;

    // Lots and entries are numbered per wallet, not per system: a wallet's entries are then the same
    // whenever its catch-up happens (on a read or a write, in this process or another that applies
    // the same commands), because catch-up only ever appends the wallet's own scheduled events.
    private long _lastLot;
    private long _lastEntry;

    internal Wallet(WalletId id) => Id = id;

    /// <summary>Whose wallet this is: a member's own, or a team's pool.</summary>
    public WalletId Id { get; }

    /// <summary>Lots not yet expired nor forfeited, in spending order (some may hold 0 credits awaiting a refund).</summary>
    public IReadOnlyList<Lot> LiveLots => _live;

    /// <summary>The live lots holding at least one credit, in spending order.</summary>
    public IReadOnlyList<Lot> LotsHoldingCredits => _holding;

    /// <summary>Every lot this wallet ever held, live or ended (those already stored are read from the source).</summary>
    public IReadOnlyCollection<Lot> AllLots => _history is null ? _lots.Values : [.. _history.EndedLotsOf(Id).Where(l => !_lots.ContainsKey(l.Id)), .. _lots.Values];

    /// <summary>The lots in memory: live ones, and ended ones not yet stored.</summary>
    public IReadOnlyCollection<Lot> LotsInMemory => _lots.Values;

    /// <summary>Every entry, oldest first (those already stored are read from the source).</summary>
    public IReadOnlyList<LedgerEntry> Ledger => _history is null ? _ledger : [.. _history.LedgerOf(Id).Where(e => _ledger.Count == 0 || e.Sequence < _ledger[0].Sequence), .. _ledger];

    /// <summary>Entries written since the wallet was last stored, oldest first.</summary>
    public IReadOnlyList<LedgerEntry> PendingEntries => _ledger;

    /// <summary>A live lot, or one that ended since the wallet was last stored; null for one that ended before (it can never be live again).</summary>
    public Lot? FindLot(long id) => _lots.GetValueOrDefault(id);

    /// <summary>Credits in live lots.</summary>
    public int Balance => _holding.Sum(l => l.Remaining);

    /// <summary>Credits in live lots of one source.</summary>
    public int BalanceOf(LotSource source) => _holding.Where(l => l.Source == source).Sum(l => l.Remaining);

    /// <summary>The next instant a live lot expires, if any.</summary>
    public DateTimeOffset? NextExpiry => _live.Count == 0 ? null : _live[0].Expires; // spending order is expiry order first

    /// <summary>The balance at instant <paramref name="t"/>, recomputed from the ledger alone.</summary>
    public int BalanceAsOf(DateTimeOffset t)
    {
        var sum = 0;
        foreach (var e in Ledger)
        {
            if (e.At > t)
            {
                break;
            }
            sum = checked(sum + e.Delta);
        }
        return sum;
    }

    /// <summary>The entries that produced the balance at <paramref name="t"/>, oldest first.</summary>
    public IEnumerable<LedgerEntry> EntriesUpTo(DateTimeOffset t) => Ledger.TakeWhile(e => e.At <= t);

    /// <summary>
    /// A page of the ledger (issue 9): the latest <paramref name="take"/> entries numbered below
    /// <paramref name="before"/> (the newest when null), oldest first, with the balance just before the
    /// first of them. Stored entries are read from the source a page at a time, never all of them.
    /// </summary>
    public (IReadOnlyList<LedgerEntry> Entries, int BalanceBefore) LedgerPage(long? before, int take)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(take);
        var limit = before ?? long.MaxValue;
        var pending = _ledger.Where(e => e.Sequence < limit).ToList();
        var page = pending.Skip(Math.Max(0, pending.Count - take)).ToList();
        if (_history is null)
        {
            var first = page.Count == 0 ? limit : page[0].Sequence;
            return (page, _ledger.Where(e => e.Sequence < first).Sum(e => e.Delta));
        }
        if (page.Count < take)
        {
            var storedBelow = page.Count > 0 ? page[0].Sequence : Math.Min(limit, _ledger.Count > 0 ? _ledger[0].Sequence : long.MaxValue);
            page.InsertRange(0, _history.LedgerPage(Id, storedBelow, take - page.Count));
        }
        var start = page.Count == 0 ? limit : page[0].Sequence;
        return (page, checked(_history.BalanceBefore(Id, start) + _ledger.Where(e => e.Sequence < start).Sum(e => e.Delta)));
    }

    /// <summary>
    /// What was written since the last time is now durable in <paramref name="history"/>: forget the
    /// pending entries and the ended lots, and read them from there from now on (decision 007).
    /// </summary>
    public void MarkStored(WorkingSet.IStateSource history)
    {
        ArgumentNullException.ThrowIfNull(history);
        _history = history;
        _ledger.Clear();
        foreach (var id in _lots.Where(l => l.Value.End != LotEnd.Live).Select(l => l.Key).ToList())
        {
            _lots.Remove(id);
        }
    }

    /// <summary>The instant of the last entry, which the next may not precede.</summary>
    internal DateTimeOffset? LastEntryAt => _lastEntryAt;

    /// <summary>Numbers of the last lot and entry, which a working-set document keeps with the lots.</summary>
    internal (long LastLot, long LastEntry) Counters => (_lastLot, _lastEntry);

    /// <summary>Puts back lots, entries and counters as a working-set document recorded them (on an empty wallet).</summary>
    internal void Restore(IEnumerable<Lot> liveLots, long lastLot, long lastEntry, DateTimeOffset? lastEntryAt, WorkingSet.IStateSource history)
    {
        if (_lots.Count > 0 || _ledger.Count > 0)
        {
            throw new InvalidOperationException($"wallet {Id} is not empty");
        }
        foreach (var lot in liveLots)
        {
            _lots.Add(lot.Id, lot);
            Insert(lot);
        }
        _lastLot = lastLot;
        _lastEntry = lastEntry;
        _lastEntryAt = lastEntryAt;
        _history = history;
    }

    internal Lot Create(DateTimeOffset at, LotSource source, int credits, DateTimeOffset expires, string? note, string? messageId = null, string? member = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(credits);
        if (expires <= at)
        {
            throw new ArgumentOutOfRangeException(nameof(expires), "a lot must live for some time");
        }
        var lot = new Lot(++_lastLot, Id, source, credits, at, expires);
        _lots.Add(lot.Id, lot);
        Insert(lot);
        var kind = source switch
        {
            LotSource.Allowance => LedgerKind.Grant,
            LotSource.Purchase => LedgerKind.Purchase,
            LotSource.Bonus => LedgerKind.Bonus,
            LotSource.Refund => LedgerKind.Refund,
            _ => throw new ArgumentOutOfRangeException(nameof(source), source, "unknown lot source"),
        };
        Append(at, lot, kind, credits, messageId, member, note);
        return lot;
    }

    /// <summary>Takes one credit from <paramref name="lot"/>, which the caller chose by spending order.</summary>
    internal void Spend(DateTimeOffset at, Lot lot, string messageId, string? member)
    {
        EnsureLive(lot, at);
        lot.Take();
        if (lot.Remaining == 0)
        {
            _holding.Remove(lot);
        }
        Append(at, lot, LedgerKind.Spend, -1, messageId, member, null);
    }

    /// <summary>Gives one credit back to the live lot it came from.</summary>
    internal void RefundInto(DateTimeOffset at, Lot lot, string messageId, string? member)
    {
        EnsureLive(lot, at);
        lot.Return();
        if (lot.Remaining == 1)
        {
            InsertSorted(_holding, lot);
        }
        Append(at, lot, LedgerKind.Refund, 1, messageId, member, null);
    }

    /// <summary>Expires every live lot whose expiry is at or before <paramref name="t"/>, each at its own instant.</summary>
    internal void ExpireUpTo(DateTimeOffset t)
    {
        while (true)
        {
            // The live list is in spending order, which is expiry order first: the first lot expires first,
            // and entries stay in time order.
            if (_live.Count == 0 || _live[0].Expires > t)
            {
                return;
            }
            var lot = _live[0];
            _live.RemoveAt(0);
            _holding.Remove(lot);
            var removed = lot.Close(LotEnd.Expired, lot.Expires);
            if (removed > 0)
            {
                Append(lot.Expires, lot, LedgerKind.Expire, -removed, null, null, null);
            }
        }
    }

    /// <summary>Forfeits every live lot of <paramref name="source"/> at <paramref name="at"/> (plan change, cancel, team end).</summary>
    internal int Forfeit(DateTimeOffset at, LotSource source, string note)
    {
        var total = 0;
        for (var i = 0; i < _live.Count;)
        {
            var lot = _live[i];
            if (lot.Source != source)
            {
                i++;
                continue;
            }
            _live.RemoveAt(i);
            _holding.Remove(lot);
            var removed = lot.Close(LotEnd.Forfeited, at);
            if (removed > 0)
            {
                total = checked(total + removed);
                Append(at, lot, LedgerKind.Forfeit, -removed, null, null, note);
            }
        }
        return total;
    }

    private void Insert(Lot lot)
    {
        InsertSorted(_live, lot);
        if (lot.Remaining > 0)
        {
            InsertSorted(_holding, lot);
        }
    }

    /// <summary>Inserts after every lot that spends before it; searched from the end, where a new pack or grant usually goes.</summary>
    private static void InsertSorted(List<Lot> lots, Lot lot)
    {
        var index = lots.Count;
        while (index > 0 && Lot.SpendingOrder(lot, lots[index - 1]) < 0)
        {
            index--;
        }
        lots.Insert(index, lot);
    }

    private static void EnsureLive(Lot lot, DateTimeOffset at)
    {
        if (!lot.IsLiveAt(at))
        {
            throw new InvalidOperationException($"lot {lot.Id} is not live at {at:O}");
        }
    }

    private void Append(DateTimeOffset at, Lot lot, LedgerKind kind, int delta, string? messageId, string? member, string? note)
    {
        if (_lastEntryAt is { } last && last > at)
        {
            throw new InvalidOperationException($"ledger of {Id} would go back in time: {at:O} after {last:O}");
        }
        _ledger.Add(new LedgerEntry(++_lastEntry, at, Id, lot.Id, lot.Source, kind, delta, lot.Expires, messageId, member, note));
        _lastEntryAt = at;
    }
}

/// <summary>The sequence that numbers messages the system names itself; one per system.</summary>
public sealed class IdSequences
{
    private long _message;

    internal long NextMessage() => ++_message;

    /// <summary>The last number given to a message.</summary>
    internal long LastMessage
    {
        get => _message;
        set => _message = value;
    }
}
