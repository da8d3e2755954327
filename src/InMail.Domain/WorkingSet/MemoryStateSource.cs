using InMail.Domain.Network;

namespace InMail.Domain.WorkingSet;

/// <summary>
/// A source that keeps documents in memory: what the simulation and the tests evict into, to show that
/// a working set decides exactly as a state that never left memory. <see cref="Save"/> stores the
/// documents of everything in memory, as a commit would.
/// </summary>
public sealed class MemoryStateSource : IStateSource
{
    private readonly Dictionary<AggregateKey, byte[]> _documents = [];
    private readonly Dictionary<string, MemberPair> _messages = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Actor, string Key), IdempotencyRecord> _idempotency = [];
    private readonly Dictionary<Credits.WalletId, List<Credits.LedgerEntry>> _ledgers = [];
    private readonly Dictionary<Credits.WalletId, SortedDictionary<long, Credits.Lot>> _endedLots = [];

    /// <summary>How many documents are stored.</summary>
    public int Count => _documents.Count;

    /// <summary>Every stored key.</summary>
    public IEnumerable<AggregateKey> Keys => _documents.Keys;

    /// <inheritdoc/>
    public byte[]? Read(AggregateKey key) => _documents.GetValueOrDefault(key);

    /// <summary>Stores <paramref name="document"/> as <paramref name="key"/>'s, as written elsewhere (a database, an earlier version).</summary>
    public void Put(AggregateKey key, byte[] document) => _documents[key] = document;

    /// <inheritdoc/>
    public IReadOnlyList<string> ConversationPartnersOf(string member) =>
        [.. _documents.Keys.Where(k => k.Kind == AggregateKind.Conversation && (k.Pair.A == member || k.Pair.B == member)).Select(k => k.Pair.Other(member)).Order(StringComparer.Ordinal)];

    /// <inheritdoc/>
    public MemberPair? ConversationOfMessage(string messageId) => _messages.TryGetValue(messageId, out var pair) ? pair : null;

    /// <inheritdoc/>
    public IdempotencyRecord? FindIdempotencyRecord(string actor, string key) => _idempotency.GetValueOrDefault((actor, key));

    /// <inheritdoc/>
    public string? MemberIdIgnoringCase(string id) =>
        _documents.Keys.FirstOrDefault(k => k.Kind == AggregateKind.Member && string.Equals(k.Id, id, StringComparison.OrdinalIgnoreCase)) is { Id: { } found } ? found : null;

    /// <inheritdoc/>
    public IReadOnlyList<Credits.LedgerEntry> LedgerOf(Credits.WalletId wallet) => _ledgers.TryGetValue(wallet, out var list) ? list : [];

    /// <inheritdoc/>
    public IReadOnlyList<Credits.LedgerEntry> LedgerPage(Credits.WalletId wallet, long beforeSequence, int take)
    {
        var below = LedgerOf(wallet).Where(e => e.Sequence < beforeSequence).ToList();
        return below.Skip(Math.Max(0, below.Count - take)).ToList();
    }

    /// <inheritdoc/>
    public int BalanceBefore(Credits.WalletId wallet, long sequence) => LedgerOf(wallet).Where(e => e.Sequence < sequence).Sum(e => e.Delta);

    /// <inheritdoc/>
    public IReadOnlyList<Credits.Lot> EndedLotsOf(Credits.WalletId wallet) => _endedLots.TryGetValue(wallet, out var lots) ? [.. lots.Values] : [];

    /// <summary>Stores the document of every aggregate in <paramref name="state"/>'s memory, its messages' locations and its idempotency records.</summary>
    public void Save(InMailState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        foreach (var key in AggregateCodec.LoadedKeys(state).ToList())
        {
            _documents[key] = AggregateCodec.Write(state, key)!;
        }
        foreach (var (id, (conversation, _)) in state.MessageIndex)
        {
            _messages[id] = conversation.Pair;
        }
        foreach (var (k, record) in state.IdempotencyIndex)
        {
            _idempotency[k] = record;
        }
        foreach (var wallet in state.Wallets.ToList())
        {
            Store(wallet);
        }
    }

    /// <summary>Keeps the wallet's new entries and ended lots as history, and lets the wallet forget them.</summary>
    private void Store(Credits.Wallet wallet)
    {
        if (!_ledgers.TryGetValue(wallet.Id, out var ledger))
        {
            _ledgers[wallet.Id] = ledger = [];
        }
        ledger.AddRange(wallet.PendingEntries);
        if (!_endedLots.TryGetValue(wallet.Id, out var ended))
        {
            _endedLots[wallet.Id] = ended = [];
        }
        foreach (var lot in wallet.LotsInMemory)
        {
            if (lot.End != Credits.LotEnd.Live)
            {
                ended[lot.Id] = lot;
            }
        }
        wallet.MarkStored(this);
    }

    /// <summary>Loads every stored aggregate into <paramref name="state"/> (for checks that look at the whole system).</summary>
    public void LoadAll(InMailState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        foreach (var key in _documents.Keys.OrderBy(k => k.ToString(), StringComparer.Ordinal))
        {
            _ = state.Load(key);
        }
        foreach (var (k, record) in _idempotency)
        {
            state.IdempotencyIndex.TryAdd(k, record);
        }
    }
}
