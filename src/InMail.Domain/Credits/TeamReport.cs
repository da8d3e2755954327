using InMail.Domain.Messaging;

namespace InMail.Domain.Credits;

/// <summary>
/// One seat in a team report (decision 013): the InMails it sent in the period, their reply rate, the
/// pool credits they took and got back, and where the seat stands against the seat cap this cycle.
/// </summary>
/// <param name="Member">The seat's member id.</param>
/// <param name="Name">Their name.</param>
/// <param name="Seat">True for a seat the team has now; false for a former seat that used the pool in the period.</param>
/// <param name="Sent">InMails delivered in the period (for a former seat: only those the pool paid for).</param>
/// <param name="Replied">Of those, answered.</param>
/// <param name="ReplyRate">Replied ÷ sent; null with nothing sent.</param>
/// <param name="PoolCreditsSpent">Of those InMails, the ones paid with a pool credit.</param>
/// <param name="PoolCreditsRefunded">Of the pool-paid ones, the ones whose credit came back.</param>
/// <param name="CreditsRefunded">Credits refunded on all those InMails, the pool's and the seat's own lots'.</param>
/// <param name="PoolSpentThisCycle">Pool credits the seat spent in the team's current cycle (refunds do not give them back: SPEC §3).</param>
/// <param name="SeatCap">The team's cap on pool credits per seat and cycle; null for none.</param>
public sealed record SeatReport(
    string Member,
    string Name,
    bool Seat,
    int Sent,
    int Replied,
    double? ReplyRate,
    int PoolCreditsSpent,
    int PoolCreditsRefunded,
    int CreditsRefunded,
    int PoolSpentThisCycle,
    int? SeatCap);

/// <summary>
/// One team cycle of the pool: from <see cref="Start"/> (the cycle's grant) to <see cref="End"/> (the
/// next one's), the credits the ledger shows granted, spent, refunded, expired and forfeited in it, and
/// each seat's spends (to read against the seat cap).
/// </summary>
/// <param name="Cycle">The cycle's number, 0 for the team's first.</param>
/// <param name="Start">When the cycle starts (its grant).</param>
/// <param name="End">When the next cycle starts.</param>
/// <param name="Granted">Credits granted into the pool in the cycle.</param>
/// <param name="Spent">Pool credits spent in the cycle.</param>
/// <param name="Refunded">Credits refunded into the pool in the cycle.</param>
/// <param name="Expired">Pool credits that expired unspent in the cycle.</param>
/// <param name="Forfeited">Pool credits forfeited in the cycle (the team ended).</param>
/// <param name="SpentBySeat">Pool credits each seat spent in the cycle, by member id.</param>
public sealed record PoolCycle(
    int Cycle,
    DateTimeOffset Start,
    DateTimeOffset End,
    int Granted,
    int Spent,
    int Refunded,
    int Expired,
    int Forfeited,
    IReadOnlyList<SeatSpend> SpentBySeat);

/// <summary>Pool credits one seat spent in a cycle.</summary>
/// <param name="Member">The seat's member id.</param>
/// <param name="Spent">Pool credits that seat spent in the cycle.</param>
public sealed record SeatSpend(string Member, int Spent);

/// <summary>The admin's report on a team over [<see cref="From"/>, <see cref="To"/>): per seat, and per pool cycle.</summary>
/// <param name="Team">The team's id.</param>
/// <param name="Plan">The team plan's id.</param>
/// <param name="From">The period's start; null for since the team began.</param>
/// <param name="To">The period's end (excluded); null for up to now.</param>
/// <param name="SeatCap">The team's cap on pool credits per seat and cycle; null for none.</param>
/// <param name="PoolBalance">Credits in the pool's live lots now.</param>
/// <param name="Seats">A row per seat now held, then per former seat that spent from the pool in the period.</param>
/// <param name="Cycles">The pool's cycles that overlap the period, oldest first.</param>
public sealed record TeamReport(
    string Team,
    string Plan,
    DateTimeOffset? From,
    DateTimeOffset? To,
    int? SeatCap,
    int PoolBalance,
    IReadOnlyList<SeatReport> Seats,
    IReadOnlyList<PoolCycle> Cycles)
{
    /// <summary>
    /// Per pool cycle, from the pool's ledger: each cycle that started by <paramref name="now"/> and overlaps
    /// [from, to), whole (an entry belongs to the cycle whose span holds its instant).
    /// </summary>
    public static IReadOnlyList<PoolCycle> CyclesOf(Team team, IReadOnlyList<LedgerEntry> ledger, DateTimeOffset now, DateTimeOffset? from, DateTimeOffset? to)
    {
        ArgumentNullException.ThrowIfNull(team);
        ArgumentNullException.ThrowIfNull(ledger);
        var subscription = team.Subscription;
        var last = team.EndedAt is { } ended && ended <= now ? ended : now;
        var cycles = new List<PoolCycle>();
        for (var k = 0; subscription.CycleStart(k) <= last && (team.EndedAt is null || subscription.CycleStart(k) < team.EndedAt); k++)
        {
            var start = subscription.CycleStart(k);
            var end = subscription.CycleStart(k + 1);
            if ((to is { } t && start >= t) || (from is { } f && end <= f))
            {
                continue;
            }
            var entries = ledger.Where(e => e.At >= start && e.At < end).ToList();
            int Sum(LedgerKind kind) => Math.Abs(entries.Where(e => e.Kind == kind).Sum(e => e.Delta));
            var bySeat = entries.Where(e => e.Kind == LedgerKind.Spend && e.Member is not null)
                .GroupBy(e => e.Member!, StringComparer.Ordinal)
                .Select(g => new SeatSpend(g.Key, -g.Sum(e => e.Delta)))
                .OrderBy(s => s.Member, StringComparer.Ordinal)
                .ToList();
            cycles.Add(new PoolCycle(k, start, end, Sum(LedgerKind.Grant), Sum(LedgerKind.Spend), Sum(LedgerKind.Refund), Sum(LedgerKind.Expire), Sum(LedgerKind.Forfeit), bySeat));
        }
        return cycles;
    }

    /// <summary>A seat's row from the InMails it sent in the period (already filtered to what the report may count).</summary>
    public static SeatReport SeatOf(Team team, string member, string name, bool seat, IReadOnlyCollection<Message> inmails)
    {
        ArgumentNullException.ThrowIfNull(team);
        ArgumentNullException.ThrowIfNull(inmails);
        var delivered = inmails.Count(m => m.IsInMail);
        var replied = inmails.Count(m => m.IsInMail && m.RespondedAt is not null);
        var pool = WalletId.ForTeam(team.Id);
        var poolPaid = inmails.Where(m => m.Charge?.Wallet == pool).ToList();
        return new SeatReport(member, name, seat, delivered, replied, delivered == 0 ? null : (double)replied / delivered,
            poolPaid.Count, poolPaid.Count(m => m.RefundedAt is not null), inmails.Count(m => m.Charge is not null && m.RefundedAt is not null),
            seat ? team.PoolSpentThisCycle(member) : 0, team.SeatCap);
    }
}
