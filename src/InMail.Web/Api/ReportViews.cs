using InMail.Domain.Credits;
using InMail.Domain.Outreach;

namespace InMail.Web.Api;

/// <summary>
/// Two reply rates compared (decision 013): Fisher's exact test, two-sided (<c>pValue</c>); the difference
/// A − B with Newcombe's hybrid score 95% interval (<c>low</c>, <c>high</c>); and the verdict, which names
/// a better arm only with at least <c>minimumPerArm</c> sends in each, p &lt; 0.05 and an interval without 0.
/// The numbers are null when an arm has no sends.
/// </summary>
public sealed record ComparisonView(int SentA, int RepliedA, double? RateA, int SentB, int RepliedB, double? RateB, int MinimumPerArm,
    double? PValue, double? Difference, double? Low, double? High, string Verdict);

/// <summary>Variant A against variant B at one A/B step of a sequence; replies count at the last step sent before them.</summary>
public sealed record VariantComparisonView(int Step, string TemplateA, string TemplateB, ComparisonView Comparison);

/// <summary>The InMails rendered from one template (null: typed text), and this template (A) against the baseline (B).</summary>
public sealed record TemplateResultView(string? Template, bool Saved, OutreachMeasuresView Measures, ComparisonView? AgainstBaseline);

/// <summary>Outreach per template over from ≤ sent &lt; to; the baseline is the template with the most InMails (ties: the smaller id).</summary>
public sealed record TemplateReportView(string Member, DateTimeOffset? From, DateTimeOffset? To, CreditPriceView CreditPrice, int MinimumPerArm,
    string? Baseline, List<TemplateResultView> Templates);

/// <summary>A seat in the team report (seat false: a former seat that used the pool in the period).</summary>
public sealed record SeatReportView(string Member, string Name, bool Seat, int Sent, int Replied, double? ReplyRate, int PoolCreditsSpent,
    int PoolCreditsRefunded, int CreditsRefunded, int PoolSpentThisCycle, int? SeatCap);

/// <summary>Pool credits one seat spent in a cycle.</summary>
public sealed record SeatSpendView(string Member, int Spent);

/// <summary>One team cycle of the pool's ledger: credits granted, spent, refunded, expired and forfeited, and each seat's spends.</summary>
public sealed record PoolCycleView(int Cycle, DateTimeOffset Start, DateTimeOffset End, int Granted, int Spent, int Refunded, int Expired, int Forfeited,
    List<SeatSpendView> SpentBySeat);

/// <summary>The team admin's report: per seat over from ≤ sent &lt; to, and per pool cycle overlapping it.</summary>
public sealed record TeamReportView(string Team, string Plan, DateTimeOffset? From, DateTimeOffset? To, int? SeatCap, int PoolBalance,
    List<SeatReportView> Seats, List<PoolCycleView> Cycles);

internal static class ReportViews
{
    public static ComparisonView Of(RateComparison c) => new(c.SentA, c.RepliedA, c.RateA, c.SentB, c.RepliedB, c.RateB, c.MinimumPerArm,
        c.PValue, c.Difference, c.Low, c.High, c.Verdict.ToName());

    public static VariantComparisonView Of(VariantComparison v) => new(v.Step, v.TemplateA, v.TemplateB, Of(v.Comparison));

    public static TemplateReportView Of(TemplateReport r) => new(r.Member, r.From, r.To,
        new CreditPriceView(r.CreditPrice.Basis, r.CreditPrice.PriceCents, r.CreditPrice.Credits, r.CreditPrice.PerCreditCents),
        r.MinimumPerArm, r.Baseline,
        r.Templates.Select(t => new TemplateResultView(t.Template, t.Saved, View.Of(t.Measures), t.AgainstBaseline is { } c ? Of(c) : null)).ToList());

    public static TeamReportView Of(TeamReport r) => new(r.Team, r.Plan, r.From, r.To, r.SeatCap, r.PoolBalance,
        r.Seats.Select(s => new SeatReportView(s.Member, s.Name, s.Seat, s.Sent, s.Replied, s.ReplyRate, s.PoolCreditsSpent, s.PoolCreditsRefunded,
            s.CreditsRefunded, s.PoolSpentThisCycle, s.SeatCap)).ToList(),
        r.Cycles.Select(c => new PoolCycleView(c.Cycle, c.Start, c.End, c.Granted, c.Spent, c.Refunded, c.Expired, c.Forfeited,
            c.SpentBySeat.Select(s => new SeatSpendView(s.Member, s.Spent)).ToList())).ToList());
}
