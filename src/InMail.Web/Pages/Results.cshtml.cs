using InMail.Domain.Messaging;
using InMail.Storage;
using Microsoft.AspNetCore.Mvc;

namespace InMail.Web.Pages;

/// <summary>Results (SPEC §9): what the member's InMails achieved — reply rate, time to first reply, cost per reply.</summary>
public sealed class ResultsModel(CommandStore store) : MemberPage(store)
{
    /// <summary>The periods offered, by the number of days back (0: everything).</summary>
    public static readonly IReadOnlyList<(int Days, string Label)> Periods = [(30, "Last 30 days"), (90, "Last 90 days"), (0, "All time")];

    [BindProperty(SupportsGet = true)]
    public int Days { get; set; }

    public OutreachReport Report { get; private set; } = null!;

    /// <summary>What one credit costs the member, said in words.</summary>
    public string CreditPriceText { get; private set; } = "";

    public async Task<IActionResult> OnGetAsync()
    {
        if (!Periods.Any(p => p.Days == Days))
        {
            Days = 0;
        }
        var me = Me;
        var days = Days;
        var loaded = await ReadAsync((e, now) =>
        {
            var report = e.Outreach(now, me, days == 0 ? null : now.AddDays(-days), null).Value;
            var price = report.CreditPrice;
            var planName = e.Catalog.TryGetPlan(price.Basis, out var plan) ? plan.Name : null;
            var text = planName is null
                ? $"{Words.Money(price.PerCreditCents)} a credit, the price of a pack"
                : $"{Words.Money(price.PerCreditCents)} a credit: {planName}'s {Words.Money(price.PriceCents)} a month for {Words.Credits(price.Credits)}";
            return (report, text);
        });
        (Report, CreditPriceText) = loaded;
        return Page();
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
