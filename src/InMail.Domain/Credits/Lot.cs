namespace InMail.Domain.Credits;

/// <summary>Where a lot's credits came from (SPEC §3).</summary>
public enum LotSource
{
    /// <summary>
    /// A plan's grant at the start of a billing cycle: counts toward the cap, and is forfeited when the plan changes or
    /// ends.
    /// </summary>
    Allowance,

    /// <summary>A pack the member bought: lasts 12 months by default, outside the cap.</summary>
    Purchase,

    /// <summary>Credits an operator granted with an expiry (a promotion, a referral), outside the cap.</summary>
    Bonus,

    /// <summary>Credits a response gave back when the lot they came from was no longer live; lives 90 days by default.</summary>
    Refund,
}

/// <summary>Why a lot stopped being live.</summary>
public enum LotEnd
{
    /// <summary>Not ended yet (a lot past its expiry stays so until the wallet catches up to that instant).</summary>
    Live,

    /// <summary>Reached its expiry; whatever it held was removed with an <see cref="LedgerKind.Expire"/> entry.</summary>
    Expired,

    /// <summary>Lost when its plan changed or ended; whatever it held was removed with a <see cref="LedgerKind.Forfeit"/> entry.</summary>
    Forfeited,
}

/// <summary>
/// A batch of credits with one source and one expiry. Usable at t &lt; <see cref="Expires"/>.
/// Remaining only moves through <see cref="Wallet"/>, which writes a ledger entry for every move.
/// </summary>
public sealed class Lot
{
    internal Lot(long id, WalletId wallet, LotSource source, int granted, DateTimeOffset grantedAt, DateTimeOffset expires)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(granted);
        Id = id;
        Wallet = wallet;
        Source = source;
        Granted = granted;
        GrantedAt = grantedAt;
        Expires = expires;
        Remaining = granted;
    }

    /// <summary>The lot's number within its wallet (1, 2, 3…); lots of different wallets may share one.</summary>
    public long Id { get; }

    /// <summary>The wallet holding the lot: a member's own, or a team's pool.</summary>
    public WalletId Wallet { get; }

    /// <summary>Where the credits came from, which decides the cap, forfeiture and lifetime.</summary>
    public LotSource Source { get; }

    /// <summary>Credits the lot was created with; refunds may bring it back up to this, never above.</summary>
    public int Granted { get; }

    /// <summary>When the lot was created; breaks a tie in spending order between lots expiring together.</summary>
    public DateTimeOffset GrantedAt { get; }

    /// <summary>The first instant the lot can no longer be spent: usable at t &lt; <see cref="Expires"/>.</summary>
    public DateTimeOffset Expires { get; }

    /// <summary>Credits still in the lot; 0 once it ended.</summary>
    public int Remaining { get; private set; }

    /// <summary>Whether the lot is live, expired or forfeited.</summary>
    public LotEnd End { get; private set; }

    /// <summary>When the lot expired or was forfeited; null while live.</summary>
    public DateTimeOffset? EndedAt { get; private set; }

    /// <summary>
    /// Whether credits can be spent from (or refunded into) the lot at <paramref name="t"/>: not ended and before its
    /// expiry.
    /// </summary>
    public bool IsLiveAt(DateTimeOffset t) => End == LotEnd.Live && t < Expires;

    /// <summary>A lot as storage recorded it (decision 007: ended lots are read back from their rows).</summary>
    public static Lot Stored(long id, WalletId wallet, LotSource source, int granted, DateTimeOffset grantedAt, DateTimeOffset expires,
        int remaining, LotEnd end, DateTimeOffset? endedAt)
    {
        var lot = new Lot(id, wallet, source, granted, grantedAt, expires);
        lot.Restore(remaining, end, endedAt);
        return lot;
    }

    internal void Restore(int remaining, LotEnd end, DateTimeOffset? endedAt)
    {
        Remaining = remaining;
        End = end;
        EndedAt = endedAt;
    }

    internal void Take()
    {
        if (Remaining <= 0)
        {
            throw new InvalidOperationException($"lot {Id} has no credit to take");
        }
        Remaining--;
    }

    internal void Return()
    {
        if (Remaining >= Granted)
        {
            throw new InvalidOperationException($"lot {Id} already holds all {Granted} credits it was granted");
        }
        Remaining++;
    }

    internal int Close(LotEnd end, DateTimeOffset at)
    {
        if (End != LotEnd.Live)
        {
            throw new InvalidOperationException($"lot {Id} is already {End}");
        }
        var removed = Remaining;
        Remaining = 0;
        End = end;
        EndedAt = at;
        return removed;
    }

    /// <summary>Spending order: earliest expiry first, then the earlier grant, then the earlier lot (own lots before the pool's).</summary>
    internal static int SpendingOrder(Lot a, Lot b)
    {
        var byExpiry = a.Expires.CompareTo(b.Expires);
        if (byExpiry != 0)
        {
            return byExpiry;
        }
        var byGrant = a.GrantedAt.CompareTo(b.GrantedAt);
        if (byGrant != 0)
        {
            return byGrant;
        }
        // Lots are numbered per wallet; across a seat's own wallet and the pool, own lots go first.
        var byWallet = a.Wallet.Owner.CompareTo(b.Wallet.Owner);
        return byWallet != 0 ? byWallet : a.Id.CompareTo(b.Id);
    }
}
