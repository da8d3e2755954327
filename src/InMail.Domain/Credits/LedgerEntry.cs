namespace InMail.Domain.Credits;

/// <summary>What a ledger entry records (SPEC §3): one entry per lot touched.</summary>
public enum LedgerKind
{
    /// <summary>An allowance lot granted at the start of a cycle.</summary>
    Grant,

    /// <summary>A purchase lot created: a pack the member bought.</summary>
    Purchase,

    /// <summary>A bonus lot created: credits an operator granted.</summary>
    Bonus,

    /// <summary>One credit taken from a lot for a paid InMail.</summary>
    Spend,

    /// <summary>Credits a response gave back: one into the live lot it came from, or all of them into a new refund lot.</summary>
    Refund,

    /// <summary>What a lot still held when it reached its expiry, removed at that instant.</summary>
    Expire,

    /// <summary>What a lot still held when its plan changed or ended: allowance lots, or every lot of an ended team's pool.</summary>
    Forfeit,
}

/// <summary>
/// One line of the append-only ledger. <see cref="Delta"/> is signed; the sum of a lot's entries is
/// its remaining credits, and the sum of a wallet's entries up to t is its balance at t.
/// </summary>
/// <param name="Sequence">
/// The entry's number in its wallet's ledger: 1, 2, 3… in the order written, which is time order. Numbers are per
/// wallet, not global: every wallet counts its own, so only <paramref name="Wallet"/> and this number together name an entry.
/// </param>
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
