namespace InMail.Domain.Credits;

/// <summary>What a ledger entry records (SPEC §3): one entry per lot touched.</summary>
public enum LedgerKind
{
    /// <summary>An allowance lot granted at the start of a cycle.</summary>
    Grant,
    Purchase,
    Bonus,
    Spend,
    Refund,
    Expire,
    Forfeit,
}

/// <summary>
/// One line of the append-only ledger. <see cref="Delta"/> is signed; the sum of a lot's entries is
/// its remaining credits, and the sum of a wallet's entries up to t is its balance at t.
/// </summary>
/// <param name="Sequence">Global order of entries; entries of one wallet are in time order.</param>
/// <param name="At">When the change took effect (a scheduled expiry carries its scheduled instant).</param>
/// <param name="Wallet">The wallet whose lot changed.</param>
/// <param name="LotId">The lot touched.</param>
/// <param name="Source">The source of the lot touched.</param>
/// <param name="Kind">What happened.</param>
/// <param name="Delta">Credits added (positive) or removed (negative).</param>
/// <param name="LotExpires">The lot's expiry, so a statement can say until when the credits live.</param>
/// <param name="MessageId">The InMail a spend or refund belongs to.</param>
/// <param name="Member">The member who caused it (a team seat spending from the pool), when not the wallet's owner.</param>
/// <param name="Note">Why: the plan granted, the bonus reason, the pack bought.</param>
public sealed record LedgerEntry(
    long Sequence,
    DateTimeOffset At,
    WalletId Wallet,
    long LotId,
    LotSource Source,
    LedgerKind Kind,
    int Delta,
    DateTimeOffset LotExpires,
    string? MessageId,
    string? Member,
    string? Note);
