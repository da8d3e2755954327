using InMail.Domain.Catalog;

namespace InMail.Domain.Credits;

/// <summary>
/// A team on a team plan: one pool wallet, seats that spend from it, an admin, and an optional cap on
/// how many pool credits one seat spends per team cycle.
/// </summary>
public sealed class Team
{
    private readonly List<string> _seats = [];
    private readonly List<SeatOffer> _offers = [];
    private readonly Dictionary<string, int> _poolSpendThisCycle = new(StringComparer.Ordinal);

    internal Team(string id, string admin, Subscription subscription)
    {
        Id = id;
        Admin = admin;
        Subscription = subscription;
        Pool = new Wallet(WalletId.ForTeam(id));
    }

    /// <summary>The team's id, as its creator named it.</summary>
    public string Id { get; }

    /// <summary>The member who manages the team's seats and cap; when the admin leaves, the first remaining seat takes over.</summary>
    public string Admin { get; private set; }

    /// <summary>The team plan's subscription; its cycles are the pool's grants and the seat cap's periods.</summary>
    public Subscription Subscription { get; }

    /// <summary>The team plan (<c>sales-navigator-advanced</c> in the default catalog).</summary>
    public Plan Plan => Subscription.Plan;

    /// <summary>The pool wallet: each cycle's allowance for every seat, which all the seats spend from.</summary>
    public Wallet Pool { get; }

    /// <summary>The member ids holding a seat, in the order they took it.</summary>
    public IReadOnlyList<string> Seats => _seats;

    /// <summary>Seats the admin offered and the member has not yet accepted or declined, oldest first.</summary>
    public IReadOnlyList<SeatOffer> Offers => _offers;

    /// <summary>Most pool credits one seat may spend per team cycle; null for no cap.</summary>
    public int? SeatCap { get; private set; }

    /// <summary>The team cycle the per-seat usage counts belong to.</summary>
    public int UsageCycle { get; private set; }

    /// <summary>When the team's subscription ended; an ended team has no seats.</summary>
    public DateTimeOffset? EndedAt { get; private set; }

    /// <summary>False once the team's subscription ended.</summary>
    public bool IsActive => EndedAt is null;

    /// <summary>Pool credits <paramref name="member"/> spent in the current team cycle (refunds do not give them back).</summary>
    public int PoolSpentThisCycle(string member) => _poolSpendThisCycle.GetValueOrDefault(member);

    /// <summary>Whether <paramref name="member"/> holds a seat now (exact id).</summary>
    public bool HasSeat(string member) => _seats.Contains(member, StringComparer.Ordinal);

    /// <summary>The seat offered to <paramref name="member"/>, if one is waiting for their answer.</summary>
    public SeatOffer? OfferTo(string member) => _offers.Find(o => o.Member == member);

    /// <summary>Takes a seat; an offer the member had is used up.</summary>
    internal void AddSeat(string member)
    {
        _offers.RemoveAll(o => o.Member == member);
        _seats.Add(member);
    }

    internal void Offer(string member, DateTimeOffset at) => _offers.Add(new SeatOffer(member, at));

    internal void WithdrawOffer(string member) => _offers.RemoveAll(o => o.Member == member);

    internal void RemoveSeat(string member)
    {
        _seats.Remove(member);
        if (Admin == member && _seats.Count > 0)
        {
            Admin = _seats[0];
        }
    }

    /// <summary>Pool credits each seat took this cycle, for working-set documents.</summary>
    internal IReadOnlyDictionary<string, int> PoolSpendThisCycle => _poolSpendThisCycle;

    internal void Restore(string admin, IEnumerable<string> seats, int? seatCap, int usageCycle, IEnumerable<KeyValuePair<string, int>> poolSpend, DateTimeOffset? endedAt)
    {
        Admin = admin;
        _seats.AddRange(seats);
        SeatCap = seatCap;
        UsageCycle = usageCycle;
        foreach (var (member, count) in poolSpend)
        {
            _poolSpendThisCycle[member] = count;
        }
        EndedAt = endedAt;
    }

    internal void SetSeatCap(int? cap) => SeatCap = cap;

    internal void CountPoolSpend(string member) =>
        _poolSpendThisCycle[member] = checked(_poolSpendThisCycle.GetValueOrDefault(member) + 1);

    internal void StartCycle(int cycle)
    {
        UsageCycle = cycle;
        _poolSpendThisCycle.Clear();
    }

    internal void End(DateTimeOffset at)
    {
        EndedAt = at;
        _seats.Clear();
        _offers.Clear();
    }
}

/// <summary>A seat the team's admin offered a member at <see cref="OfferedAt"/>; it is theirs once they accept.</summary>
/// <param name="Member">The member offered the seat.</param>
/// <param name="OfferedAt">When the admin offered it.</param>
public sealed record SeatOffer(string Member, DateTimeOffset OfferedAt);
