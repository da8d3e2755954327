using InMail.Domain.Credits;
using InMail.Domain.Messaging;
using InMail.Domain.Network;
using InMail.Domain.Outreach;

namespace InMail.Domain;

public sealed partial class InMailEngine
{
    /// <summary>
    /// SPEC §9 per template (decision 013): the InMails <paramref name="memberId"/> sent at
    /// <c>from ≤ sent &lt; to</c>, grouped by the template they were rendered from, each compared with the
    /// member's most-used template. Reads only, after bringing the member's plan up to date.
    /// </summary>
    public Outcome<TemplateReport> TemplateOutreach(DateTimeOffset now, string memberId, DateTimeOffset? from = null, DateTimeOffset? to = null)
    {
        if (from is { } f && to is { } t && f >= t)
        {
            return Refuse.With(RefusalCode.InvalidInput, "from must be earlier than to.");
        }
        var found = Member(memberId, "member");
        if (!found.IsSuccess)
        {
            return found.Refusal;
        }
        var member = found.Value;
        CatchUp(now, member);
        return TemplateReport.Of(member.Id, from, to, InMailsSentBy(member, from, to), CreditPriceOf(member), Policy.ComparisonMinSendsPerArm,
            member.Templates.ContainsKey);
    }

    /// <summary>The A/B comparisons of a sequence's steps, at the catalog's minimum sample (decision 013).</summary>
    public IReadOnlyList<VariantComparison> VariantComparisons(Sequence sequence)
    {
        ArgumentNullException.ThrowIfNull(sequence);
        return VariantComparison.Of(sequence.Results(), Policy.ComparisonMinSendsPerArm);
    }

    /// <summary>
    /// The team admin's report (decision 013): per seat, the InMails sent at <c>from ≤ sent &lt; to</c>,
    /// their reply rate, pool credits used and refunded, the seat cap; per pool cycle, the ledger's
    /// grants, spends, refunds, expiries and forfeits. Whoever may read it is the caller's to check.
    /// </summary>
    public Outcome<TeamReport> TeamReport(DateTimeOffset now, string teamId, DateTimeOffset? from = null, DateTimeOffset? to = null)
    {
        if (from is { } f && to is { } t && f >= t)
        {
            return Refuse.With(RefusalCode.InvalidInput, "from must be earlier than to.");
        }
        if (State.FindTeam(teamId) is not { } team)
        {
            return Refuse.With(RefusalCode.UnknownTeam, $"There is no team '{teamId}'.");
        }
        CatchUp(now, team);
        var ledger = team.Pool.Ledger;
        var inPeriod = ledger.Where(e => (from is null || e.At >= from) && (to is null || e.At < to)).ToList();
        // Membership history is not recorded: a seat's InMails count from the team's start, a former seat's only where the pool paid.
        var since = from is { } start && start > team.Subscription.Anchor ? start : team.Subscription.Anchor;
        var pool = WalletId.ForTeam(team.Id);
        var rows = new List<SeatReport>();
        foreach (var seat in team.Seats)
        {
            var member = State.LoadedMember(seat);
            rows.Add(Domain.Credits.TeamReport.SeatOf(team, seat, member.Profile.Name, seat: true, InMailsSentBy(member, since, to)));
        }
        var former = inPeriod.Where(e => e.Kind == LedgerKind.Spend && e.Member is { } m && !team.HasSeat(m)).Select(e => e.Member!)
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        foreach (var id in former)
        {
            if (State.FindMember(id) is { } member)
            {
                var paid = InMailsSentBy(member, since, to).Where(m => m.Charge?.Wallet == pool).ToList();
                rows.Add(Domain.Credits.TeamReport.SeatOf(team, id, member.Profile.Name, seat: false, paid));
            }
        }
        return new TeamReport(team.Id, team.Plan.Id, from, to, team.SeatCap, team.Pool.Balance, rows,
            Domain.Credits.TeamReport.CyclesOf(team, ledger, now, from, to));
    }

    /// <summary>The InMails (paid and open-profile) a member sent at <c>from ≤ sent &lt; to</c>, as SPEC §9 counts them.</summary>
    private List<Message> InMailsSentBy(Member member, DateTimeOffset? from, DateTimeOffset? to) =>
        State.ConversationsOf(member.Id)
            .SelectMany(c => c.Messages)
            .Where(m => m.From == member.Id && m.IsInMail && (from is null || m.SentAt >= from) && (to is null || m.SentAt < to))
            .ToList();
}
