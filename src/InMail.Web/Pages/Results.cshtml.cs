using InMail.Domain.Messaging;
using InMail.Domain.Outreach;
using InMail.Domain.Time;
using InMail.Storage;
using InMail.Web.Pages.Charts;
using Microsoft.AspNetCore.Mvc;

namespace InMail.Web.Pages;

/// <summary>
/// Results (SPEC §9, issue 13): what the member's InMails achieved — the measures, and charts of them with a table
/// behind each. Read from the tables (decision 014), so a member with years of InMail costs a scan of an index, not
/// their conversations in memory.
/// </summary>
public sealed class ResultsModel(CommandStore store) : MemberPage(store)
{
    /// <summary>The periods offered, by the number of days back (0: everything).</summary>
    public static readonly IReadOnlyList<(int Days, string Label)> Periods = [(30, "Last 30 days"), (90, "Last 90 days"), (0, "All time")];

    [BindProperty(SupportsGet = true)]
    public int Days { get; set; }

    public OutreachReport Report { get; private set; } = null!;

    public OutreachCharts Charts { get; private set; } = null!;

    /// <summary>The start of the period shown, or null for all time.</summary>
    public DateTimeOffset? From { get; private set; }

    /// <summary>What one credit costs the member, said in words.</summary>
    public string CreditPriceText { get; private set; } = "";

    public async Task<IActionResult> OnGetAsync()
    {
        if (!Periods.Any(p => p.Days == Days))
        {
            Days = 0;
        }
        var days = Days;
        var history = await Store.OutreachAsync(Me, now => (days == 0 ? null : now.AddDays(-days), null), HttpContext.RequestAborted);
        (Report, Charts, From) = (history.Value.Report, history.Value.Charts, history.Value.Report.From);
        var price = Report.CreditPrice;
        var planName = Store.Catalog.TryGetPlan(price.Basis, out var plan) ? plan.Name : null;
        CreditPriceText = planName is null
            ? $"{Words.Money(price.PerCreditCents)} a credit, the price of a pack"
            : $"{Words.Money(price.PerCreditCents)} a credit: {planName}'s {Words.Money(price.PriceCents)} a month for {Words.Credits(price.Credits)}";
        Comparisons = Compare(Report, OutreachBenchmarks.Seed);
        return Page();
    }

    /// <summary>The data behind chart <paramref name="id"/> (one of <see cref="ChartTables.Ids"/>).</summary>
    public ChartTable Table(string id) => ChartTables.Of(id, Charts) ?? throw new ArgumentException($"No chart '{id}'.", nameof(id));

    /// <summary>Where chart <paramref name="id"/>'s data downloads as CSV, for the period shown.</summary>
    public string CsvHref(string id) =>
        $"/api/v1/members/me/outreach/charts/{id}.csv{(From is { } f ? $"?from={Uri.EscapeDataString(UtcCalendar.Format(f))}" : "")}";

    /// <summary>
    /// The member's reply rate inside the seed's best windows (recipient's time) and outside them, in one sentence,
    /// or null when either side has nothing sent.
    /// </summary>
    public static string? SeedWindowComparison(IReadOnlyList<SendTimeCell> cells)
    {
        ArgumentNullException.ThrowIfNull(cells);
        var (inSent, inReplied) = (cells.Where(c => c.SeedWindow).Sum(c => c.Delivered), cells.Where(c => c.SeedWindow).Sum(c => c.Responded));
        var (outSent, outReplied) = (cells.Where(c => !c.SeedWindow).Sum(c => c.Delivered), cells.Where(c => !c.SeedWindow).Sum(c => c.Responded));
        if (inSent == 0 || outSent == 0)
        {
            return inSent == 0 && outSent > 0 ? "None of your InMails went out in those windows yet: schedule a few there and compare." : null;
        }
        return $"Sent in those windows: {inSent} InMail{(inSent == 1 ? "" : "s")}, {Percent(OutreachMeasures.Rate(inReplied, inSent))} replied; at other times: {outSent}, {Percent(OutreachMeasures.Rate(outReplied, outSent))}.";
    }

    /// <summary>The member's own figures set against the seed's benchmarks, one sentence each; none that their data contradicts.</summary>
    public IReadOnlyList<string> Comparisons { get; private set; } = [];

    /// <summary>
    /// Says how the member's reply rate and message lengths compare with the seed's figures (SPEC §9):
    /// above, within or below the InMail range; whether their own short InMails did better than their
    /// long ones, and says so when their data goes against the seed's advice.
    /// </summary>
    public static IReadOnlyList<string> Compare(OutreachReport report, OutreachBenchmarks seed)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(seed);
        var lines = new List<string>();
        var range = $"{seed.InMailReplyRateLow * 100:0}–{Percent(seed.InMailReplyRateHigh)}";
        if (report.All.ReplyRate is { } rate)
        {
            var where = rate > seed.InMailReplyRateHigh ? "above" : rate < seed.InMailReplyRateLow ? "below" : "within";
            lines.Add($"Your reply rate, {Percent(rate)}, is {where} the {range} InMail typically gets (cold email: about {Percent(seed.ColdEmailReplyRate)}).");
        }
        var limit = seed.ShortBodyUnderCharacters;
        var (shortOnes, longOnes) = (report.ShortBody, report.LongBody);
        if (shortOnes.ReplyRate is { } s && longOnes.ReplyRate is { } l)
        {
            var yours = $"Your InMails under {limit} characters got {Percent(s)} replies, those of {limit} or more {Percent(l)}";
            lines.Add(s > l ? $"{yours}: shorter did better for you, as it does in the seed's figures."
                : s < l ? $"{yours}: for you the longer ones did better, unlike the seed's figures, where under {limit} characters does better."
                : $"{yours}: length made no difference for you so far.");
        }
        else if (shortOnes.Delivered > 0)
        {
            lines.Add($"All your InMails were under {limit} characters, the length that does better in the seed's figures.");
        }
        else if (longOnes.Delivered > 0)
        {
            lines.Add($"All your InMails had {limit} characters or more; in the seed's figures under {limit} does better: try a shorter one and compare here.");
        }
        lines.Add($"The seed's best times to send are {seed.BestDays}, {seed.BestHours} (Compose shows the recipient's local time).");
        return lines;
    }

    /// <summary>A rate as a percentage, or a dash when nothing was delivered.</summary>
    public static string Percent(double? rate) => rate is { } r ? $"{r * 100:0.#}%" : "—";

    /// <summary>A duration as the page says it: "3 h 20 min", "2 days 4 h".</summary>
    public static string Duration(TimeSpan? span) => span switch
    {
        null => "—",
        { TotalDays: >= 1 } d => $"{(int)d.TotalDays} d {d.Hours} h",
        { TotalHours: >= 1 } h => $"{(int)h.TotalHours} h {h.Minutes} min",
        { } m => $"{Math.Max(1, (int)Math.Round(m.TotalMinutes))} min",
    };
}
