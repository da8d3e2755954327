namespace InMail.Domain.WorkingSet;

/// <summary>
/// Where a working set (decision 007) finds what is not in memory: each aggregate's document, as
/// <see cref="AggregateCodec"/> wrote it after the last change that is durable, and the lookups
/// that cross aggregates. The database is one; <see cref="MemoryStateSource"/> is another, for tests
/// and for the simulation that evicts after every step.
/// </summary>
public interface IStateSource
{
    /// <summary>The aggregate's document, or null when it does not exist.</summary>
    byte[]? Read(AggregateKey key);

    /// <summary>
    /// The recipients and bodies of the InMails (paid and open-profile) <paramref name="from"/> sent
    /// with after &lt; sent ≤ upTo, for the coach's copy-paste finding, read without loading every
    /// conversation; null when this source cannot answer it (the engine then reads the conversations).
    /// </summary>
    IReadOnlyList<(string To, string Body)>? InMailBodiesSince(string from, DateTimeOffset after, DateTimeOffset upTo) => null;

    /// <summary>
    /// The recipients of the paid InMails <paramref name="from"/> sent at or after <paramref name="since"/>, each once,
    /// read without loading every conversation; null when this source cannot answer it (the engine then walks every
    /// conversation of the member). What it returns is what the source stores: committed state.
    /// </summary>
    IReadOnlyCollection<string>? PaidInMailRecipientsSince(string from, DateTimeOffset since) => null;

    /// <summary>
    /// The other member of every stored conversation <paramref name="member"/> is in, each once. Asked only for a member
    /// whose document lists some of them (<see cref="InMailState.ConversationsInMemberDocument"/>).
    /// </summary>
    IReadOnlyList<string> ConversationPartnersOf(string member);

    /// <summary>The conversation holding message <paramref name="messageId"/>, or null when there is no such message.</summary>
    Network.MemberPair? ConversationOfMessage(string messageId);

    /// <summary>What the first request with this idempotency key did, or null when none was made.</summary>
    IdempotencyRecord? FindIdempotencyRecord(string actor, string key);

    /// <summary>The id of the stored member whose id equals <paramref name="id"/> ignoring case, or null.</summary>
    string? MemberIdIgnoringCase(string id);

    /// <summary>The wallet's stored ledger entries, oldest first.</summary>
    IReadOnlyList<Credits.LedgerEntry> LedgerOf(Credits.WalletId wallet);

    /// <summary>The latest <paramref name="take"/> stored entries numbered below <paramref name="beforeSequence"/>, oldest first.</summary>
    IReadOnlyList<Credits.LedgerEntry> LedgerPage(Credits.WalletId wallet, long beforeSequence, int take);

    /// <summary>The sum of the stored entries numbered below <paramref name="sequence"/>: the balance just before that entry.</summary>
    int BalanceBefore(Credits.WalletId wallet, long sequence);

    /// <summary>The wallet's stored lots that have ended (expired or forfeited), by id.</summary>
    IReadOnlyList<Credits.Lot> EndedLotsOf(Credits.WalletId wallet);
}
