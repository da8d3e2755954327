using System.Globalization;
using InMail.Domain;
using InMail.Domain.Credits;
using InMail.Domain.Time;
using InMail.Storage;
using InMail.Web.Hosting;
using InMail.Web.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;

namespace InMail.Web.Pages;

/// <summary>What the time between two instants did to the network's credits, told as the demo clock page shows it.</summary>
public sealed record ClockEffects(DateTimeOffset From, DateTimeOffset To, int Grants, int Granted, int Expiries, int Expired, int Forfeits,
    int Forfeited, int WindowsClosed)
{
    public bool Nothing => Grants + Expiries + Forfeits + WindowsClosed == 0;
}

/// <summary>The demo clock: the operator moves time forward in demo mode to watch grants, expiries and refund windows happen.</summary>
public sealed class DemoClockModel(ServiceClock clock, CommandStore store, DueWork due, IOptions<ServiceOptions> options) : PageModel
{
    public static readonly IReadOnlyList<(string Id, string Label)> Steps = [("day", "+1 day"), ("week", "+1 week"), ("month", "+1 month")];

    public DateTimeOffset Now { get; private set; }

    public TimeSpan Offset { get; private set; }

    /// <summary>After a move: what happened between the old time and the new one.</summary>
    public ClockEffects? Effects { get; private set; }

    public async Task<IActionResult> OnGetAsync(string? since)
    {
        if (!Allowed())
        {
            return NotFound();
        }
        (Now, Offset) = (clock.GetUtcNow(), clock.Offset);
        if (DateTimeOffset.TryParse(since, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var from) && from < Now)
        {
            Effects = await store.ReadWholeAsync((e, now) => EffectsBetween(e, from, now), HttpContext.RequestAborted);
        }
        return Page();
    }

    /// <summary>Before moving the clock: where it goes and what that does, to confirm.</summary>
    public ConfirmStep? Confirm { get; private set; }

    public async Task<IActionResult> OnPostAsync(string step, bool confirmed)
    {
        if (!Allowed())
        {
            return NotFound();
        }
        var now = clock.GetUtcNow();
        var by = step switch
        {
            "day" => TimeSpan.FromDays(1),
            "week" => TimeSpan.FromDays(7),
            "month" => UtcCalendar.AddMonths(now, 1) - now, // a calendar month, as billing cycles count them
            _ => TimeSpan.Zero,
        };
        if (by <= TimeSpan.Zero)
        {
            return BadRequest();
        }
        if (!confirmed)
        {
            (Now, Offset) = (now, clock.Offset);
            var label = Steps.First(s => s.Id == step).Label;
            Confirm = new ConfirmStep($"Move the clock {label}, to {Words.When(now + by)}?",
                ["It moves for everyone on this server, and it never goes back.",
                 "Every monthly grant, lot expiry, end of a cancelled plan and refund window that falls in between happens, as members see on their pages."],
                "/demo-clock", [("step", step)], $"Confirm: move the clock {label}", "/demo-clock");
            return Page();
        }
        if (!clock.CanSet(now + by))
        {
            TempData["Flash"] = "The clock goes at most a century ahead of the real time; it did not move.";
            return RedirectToPage();
        }
        await due.AdvanceToAsync(now + by, HttpContext.RequestAborted); // scheduled sends on the way go out at their own instants
        var moved = clock.GetUtcNow();
        TempData["Flash"] = $"The clock moved to {Words.When(moved)}.";
        return RedirectToPage(new { since = now.UtcDateTime.ToString("O", CultureInfo.InvariantCulture) });
    }

    /// <summary>
    /// Brings every member and team up to now (grants, expiries and plan ends happen lazily, when an
    /// account is next looked at), then counts the ledger lines and refund windows that fell in the span.
    /// </summary>
    private static ClockEffects EffectsBetween(InMailEngine e, DateTimeOffset from, DateTimeOffset to)
    {
        e.CatchUpAll(to);
        var entries = e.State.Members.SelectMany(m => m.Wallet.Ledger).Concat(e.State.Teams.SelectMany(t => t.Pool.Ledger))
            .Where(l => l.At > from && l.At <= to).ToList();
        int Count(LedgerKind kind) => entries.Count(l => l.Kind == kind);
        int Sum(LedgerKind kind) => entries.Where(l => l.Kind == kind).Sum(l => Math.Abs(l.Delta));
        var closed = e.State.Conversations.SelectMany(c => c.Messages)
            .Count(m => m.RefundedAt is null && e.RefundDeadline(m) is { } deadline && deadline > from && deadline <= to
                && (m.RespondedAt is null || m.RespondedAt > deadline));
        return new ClockEffects(from, to, Count(LedgerKind.Grant), Sum(LedgerKind.Grant), Count(LedgerKind.Expire), Sum(LedgerKind.Expire),
            Count(LedgerKind.Forfeit), Sum(LedgerKind.Forfeit), closed);
    }

    private bool Allowed() => options.Value.Mode == ServiceMode.Demo && HttpContext.Who().IsOperator;
}
