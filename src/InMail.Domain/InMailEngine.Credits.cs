using InMail.Domain.Credits;
using InMail.Domain.Messaging;
using InMail.Domain.Network;
using InMail.Domain.Time;
using InMail.Domain.WorkingSet;

namespace InMail.Domain;

/// <summary>An InMail whose credit may still come back, and until when.</summary>
/// <param name="InMail">The paid InMail still waiting for a response.</param>
/// <param name="Deadline">The last instant a response still brings its credit back: the spend plus the refund window.</param>
public sealed record PendingRefund(Message InMail, DateTimeOffset Deadline);

/// <summary>
/// A member's credits as they stand: usable now, frozen (held but not usable on the free plan),
/// the live lots in spending order (own lots and, for a seat, the team pool), and what may come back.
/// </summary>
/// <param name="At">The instant the view is for; the member was caught up to it.</param>
/// <param name="Plan">The id of the plan the member is on now (the free plan without a subscription or seat).</param>
/// <param name="Usable">
/// Credits the member can spend now: own lots, plus pool credits within the seat cap; 0 on a plan without InMail.
/// </param>
/// <param name="Frozen">Credits held in the member's own lots but not usable, on a plan without InMail; 0 otherwise.</param>
/// <param name="Lots">The live lots holding credits, own and pool together, in spending order.</param>
/// <param name="MayComeBack">Paid InMails whose credit a response may still bring back, earliest deadline first.</param>
/// <param name="SeatCapLeft">Pool credits the seat may still spend this team cycle; null without a seat or without a cap.</param>
public sealed record CreditView(
    DateTimeOffset At,
    string Plan,
    int Usable,
    int Frozen,
    IReadOnlyList<Lot> Lots,
    IReadOnlyList<PendingRefund> MayComeBack,
    int? SeatCapLeft);

public sealed partial class InMailEngine
{
    /// <summary>The member's credits at <paramref name="now"/>, after catching up.</summary>
    public Outcome<CreditView> Credits(DateTimeOffset now, string memberId)
    {
        var found = Member(memberId, "member");
        if (!found.IsSuccess)
        {
            return found.Refusal;
        }
        var member = found.Value;
        CatchUp(now, member);
        var lots = member.Wallet.LiveLots.Where(l => l.Remaining > 0).ToList();
        int? seatCapLeft = null;
        if (State.FindTeam(member.TeamId) is { } team)
        {
            lots.AddRange(team.Pool.LiveLots.Where(l => l.Remaining > 0));
            lots.Sort(Lot.SpendingOrder);
            if (team.SeatCap is { } cap)
            {
                seatCapLeft = Math.Max(0, cap - team.PoolSpentThisCycle(member.Id));
            }
        }
        return new CreditView(
            now,
            PlanOf(member).Id,
            SpendableCredits(now, member),
            IsPaid(member) ? 0 : member.Wallet.Balance,
            lots,
            PendingRefunds(now, member),
            seatCapLeft);
    }

    /// <summary>
    /// The credits the member can spend now (<see cref="CreditView.Usable"/>) without the rest of the view: what a send
    /// answers with. It reads the member's wallet and team pool only, where the view also loads the conversations of the
    /// member's recent paid InMails for pending refunds.
    /// </summary>
    public Outcome<int> CreditsLeft(DateTimeOffset now, string memberId)
    {
        var found = Member(memberId, "member");
        if (!found.IsSuccess)
        {
            return found.Refusal;
        }
        CatchUp(now, found.Value);
        return SpendableCredits(now, found.Value);
    }

    /// <summary>What <see cref="CreditView.Usable"/> shows: on a paid plan the usable credits; on a free plan none (they are frozen).</summary>
    private int SpendableCredits(DateTimeOffset now, Member member) => IsPaid(member) ? UsableCredits(now, member) : 0;

    /// <summary>Credits the member could spend now: own lots, plus pool credits up to what their seat cap leaves.</summary>
    private int UsableCredits(DateTimeOffset now, Member member)
    {
        var own = member.Wallet.Balance;
        if (State.FindTeam(member.TeamId) is not { } team)
        {
            return own;
        }
        var pool = team.Pool.Balance;
        if (team.SeatCap is { } cap)
        {
            pool = Math.Min(pool, Math.Max(0, cap - team.PoolSpentThisCycle(member.Id)));
        }
        return checked(own + pool);
    }

    /// <summary>The last instant a response still brings a paid InMail's credit back (SPEC §3); null for a free one.</summary>
    public DateTimeOffset? RefundDeadline(Message inmail)
    {
        ArgumentNullException.ThrowIfNull(inmail);
        return inmail.Charge is { } charge ? charge.SpentAt + TimeSpan.FromDays(Policy.RefundWindowDays) : null;
    }

    /// <summary>Paid InMails the member sent whose credit comes back if the recipient responds by the deadline.</summary>
    public IReadOnlyList<PendingRefund> PendingRefunds(DateTimeOffset now, Member member)
    {
        ArgumentNullException.ThrowIfNull(member);
        var pending = new List<PendingRefund>();
        // Issue 9: the view costs the member's recent paid InMails, not their history. When the source can say which
        // recipients those are (stored state), only their conversations are loaded, and those memory holds, which may
        // carry changes not stored yet; a source that cannot say has every conversation looked at.
        var stored = State.Source?.PaidInMailRecipientsSince(member.Id, now - TimeSpan.FromDays(Policy.RefundWindowDays)) is { } recipients
            ? new HashSet<string>(recipients, StringComparer.Ordinal)
            : null;
        // The conversations memory lists, then the stored recipients' it does not (a member's document lists the latest only).
        var candidates = stored is null
            ? State.EveryConversationPairOf(member.Id)
            : State.ListedConversationPairs(member.Id).Concat(stored.Order(StringComparer.Ordinal).Select(r => new MemberPair(member.Id, r))).Distinct();
        foreach (var pair in candidates)
        {
            if (stored is not null && !stored.Contains(pair.Other(member.Id)) && !State.Holds(AggregateKey.ForConversation(pair)))
            {
                continue;
            }
            var conversation = State.FindConversation(pair) ?? throw new InvalidOperationException($"conversation {pair} of {member.Id} is missing");
            foreach (var m in conversation.AwaitingResponse(member.Id))
            {
                if (m.RefundedAt is null && RefundDeadline(m) is { } deadline && now <= deadline)
                {
                    pending.Add(new PendingRefund(m, deadline));
                }
            }
        }
        // Stable: equal deadlines keep the conversations' order, however many there are.
        return [.. pending.OrderBy(p => p.Deadline)];
    }

    /// <summary>
    /// The member's own wallet balance at a past instant, recomputed from the ledger, with the entries
    /// that explain it. Instants after now are refused: the future is not written yet.
    /// </summary>
    public Outcome<(int Balance, IReadOnlyList<LedgerEntry> Entries)> BalanceAsOf(DateTimeOffset now, string memberId, DateTimeOffset at)
    {
        var found = Member(memberId, "member");
        if (!found.IsSuccess)
        {
            return found.Refusal;
        }
        if (at > now)
        {
            return Refuse.With(RefusalCode.InvalidInput, $"A balance can be asked for up to now ({UtcCalendar.Format(now)}), not for {UtcCalendar.Format(at)}.");
        }
        CatchUp(now, found.Value);
        var wallet = found.Value.Wallet;
        return (wallet.BalanceAsOf(at), wallet.EntriesUpTo(at).ToList());
    }
}
