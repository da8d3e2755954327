namespace InMail.Domain.Credits;

/// <summary>Where a lot's credits came from (SPEC §3).</summary>
public enum LotSource
{
    Allowance,
    Purchase,
    Bonus,
    Refund,
}

/// <summary>Why a lot stopped being live.</summary>
public enum LotEnd
{
    Live,
    Expired,
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

    public long Id { get; }
    public WalletId Wallet { get; }
    public LotSource Source { get; }

    /// <summary>Credits the lot was created with; refunds may bring it back up to this, never above.</summary>
    public int Granted { get; }
    public DateTimeOffset GrantedAt { get; }
    public DateTimeOffset Expires { get; }
    public int Remaining { get; private set; }
    public LotEnd End { get; private set; }
    public DateTimeOffset? EndedAt { get; private set; }

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
