using InMail.Domain.Messaging;

namespace InMail.Domain.Outreach;

/// <summary>
/// SPEC §9's measures over the InMails rendered from one template (or typed by hand, <see cref="Template"/>
/// null), and how its reply rate compares with the baseline template's (decision 013).
/// </summary>
/// <param name="Template">The template id the InMails were rendered from; null for typed text.</param>
/// <param name="Saved">Whether the member still keeps a template by that id (it may have been deleted or replaced since).</param>
/// <param name="Measures">The measures over those InMails.</param>
/// <param name="AgainstBaseline">This row (A) against the baseline (B); null on the baseline's own row, or with no baseline.</param>
public sealed record TemplateResult(string? Template, bool Saved, OutreachMeasures Measures, RateComparison? AgainstBaseline);

/// <summary>
/// A member's InMails sent within [<see cref="From"/>, <see cref="To"/>), grouped by the template they
/// were rendered from, most delivered first, typed text last. The <see cref="Baseline"/> is the template
/// with the most InMails delivered (ties: the smaller id, ordinal): every other row is compared with it.
/// </summary>
/// <param name="Member">The member who sent the InMails.</param>
/// <param name="From">The first send instant counted; null for no lower bound.</param>
/// <param name="To">The send instant counted up to (excluded); null for no upper bound.</param>
/// <param name="CreditPrice">What a credit costs the member, for cost per reply.</param>
/// <param name="MinimumPerArm">Sends each side of a comparison needs before a verdict.</param>
/// <param name="Baseline">The template every other row is compared with; null when no template was used.</param>
/// <param name="Templates">One row per template, most delivered first, typed text last.</param>
public sealed record TemplateReport(
    string Member,
    DateTimeOffset? From,
    DateTimeOffset? To,
    CreditPrice CreditPrice,
    int MinimumPerArm,
    string? Baseline,
    IReadOnlyList<TemplateResult> Templates)
{
    /// <summary>Groups <paramref name="inmails"/> by template and compares each group with the most-used template.</summary>
    public static TemplateReport Of(string member, DateTimeOffset? from, DateTimeOffset? to, IReadOnlyCollection<Message> inmails, CreditPrice price,
        int minimumPerArm, Func<string, bool> saved)
    {
        ArgumentNullException.ThrowIfNull(inmails);
        ArgumentNullException.ThrowIfNull(saved);
        var groups = inmails.Where(m => m.IsInMail).GroupBy(m => m.Template)
            .Select(g => (g.Key, Measures: OutreachMeasures.Of(g, price)))
            .OrderBy(g => g.Key is null)
            .ThenByDescending(g => g.Measures.Delivered)
            .ThenBy(g => g.Key, StringComparer.Ordinal)
            .ToList();
        // The most used, not the best: choosing the best by its observed rate and testing the others against
        // it would make a winner of whichever template was luckiest.
        var baseline = groups.FirstOrDefault(g => g.Key is not null);
        var rows = groups.Select(g => new TemplateResult(g.Key, g.Key is not null && saved(g.Key), g.Measures,
                baseline.Key is null || g.Key == baseline.Key ? null
                    : RateComparison.Of(g.Measures.Delivered, g.Measures.Responded, baseline.Measures.Delivered, baseline.Measures.Responded, minimumPerArm)))
            .ToList();
        return new TemplateReport(member, from, to, price, minimumPerArm, baseline.Key, rows);
    }
}

/// <summary>Variant A against variant B at one A/B step of a sequence (SPEC §10, decision 013).</summary>
/// <param name="Step">The step, from 1.</param>
/// <param name="TemplateA">Variant A's template.</param>
/// <param name="TemplateB">Variant B's template.</param>
/// <param name="Comparison">Replies counted at this step (a reply counts at the last step sent before it) over the step's sends, A against B.</param>
public sealed record VariantComparison(int Step, string TemplateA, string TemplateB, RateComparison Comparison)
{
    /// <summary>One comparison per A/B step, from the sequence's results.</summary>
    public static IReadOnlyList<VariantComparison> Of(IReadOnlyList<StepResult> results, int minimumPerArm)
    {
        ArgumentNullException.ThrowIfNull(results);
        return results.Where(r => r.Variant == "A")
            .Select(a => (A: a, B: results.Single(b => b.Step == a.Step && b.Variant == "B")))
            .Select(x => new VariantComparison(x.A.Step, x.A.Template, x.B.Template,
                RateComparison.Of(x.A.Sent, x.A.Replied, x.B.Sent, x.B.Replied, minimumPerArm)))
            .ToList();
    }
}
