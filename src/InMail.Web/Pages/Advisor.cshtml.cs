using System.Globalization;
using InMail.Domain;
using InMail.Domain.Advice;
using InMail.Storage;
using Microsoft.AspNetCore.Mvc;

namespace InMail.Web.Pages;

/// <summary>
/// The plan advisor (SPEC §12): the member's own InMails of a period replayed under every plan they
/// can buy, and the plan that would have cost least per reply. It reads; it changes nothing.
/// </summary>
public sealed class AdvisorModel(CommandStore store) : MemberPage(store)
{
    /// <summary>First day of the period (UTC, yyyy-MM-dd); empty: 365 days before the end.</summary>
    [BindProperty(SupportsGet = true)]
    public string? From { get; set; }

    /// <summary>Last day of the period, included (UTC, yyyy-MM-dd); empty: up to now.</summary>
    [BindProperty(SupportsGet = true)]
    public string? To { get; set; }

    /// <summary>The advice, unless the period was refused.</summary>
    public PlanAdvice? Advice { get; private set; }

    public async Task<IActionResult> OnGetAsync()
    {
        if (!TryDay(From, out var from) || !TryDay(To, out var to))
        {
            Show(Refuse.With(RefusalCode.InvalidInput, "Give the days as year-month-day, like 2026-03-01."), "period");
            return Page();
        }
        // The last day is included: the period ends at the start of the day after it.
        var advice = await Store.AdviseAsync(Me, from, to?.AddDays(1), HttpContext.RequestAborted);
        if (advice.IsSuccess)
        {
            Advice = advice.Value;
        }
        else
        {
            Show(advice.Refusal!, "period");
        }
        return Page();
    }

    private static bool TryDay(string? text, out DateTimeOffset? day)
    {
        day = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return true;
        }
        if (!DateTime.TryParseExact(text.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var parsed))
        {
            return false;
        }
        day = new DateTimeOffset(parsed, TimeSpan.Zero);
        return true;
    }

    /// <summary>The refusals of one plan's replay, in words: "12 daily-limit-reached".</summary>
    public static string Refusals(PlanOutcome plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return plan.Refused == 0 ? "none" : string.Join(", ", plan.RefusedByCode.Select(r => string.Create(CultureInfo.InvariantCulture, $"{r.Value:N0} {r.Key}")));
    }
}
