using InMail.Domain;
using InMail.Domain.Catalog;
using InMail.Domain.Commands;
using InMail.Domain.Credits;
using InMail.Domain.Time;
using InMail.Storage;
using InMail.Web.Api;
using Microsoft.AspNetCore.Mvc;

namespace InMail.Web.Pages;

/// <summary>What a plan change would do, said before the member confirms it.</summary>
public sealed record PlanConsequences(string Action, string Plan, string Billing, string Title, IReadOnlyList<string> Lines);

/// <summary>Plans: the catalog side by side; subscribe, change or cancel, each confirmed after saying what happens to the credits.</summary>
public sealed class PlansModel(CommandStore store) : MemberPage(store)
{
    public IReadOnlyList<PlanView> Catalog { get; private set; } = [];

    public SubscriptionView? Current { get; private set; }

    public string CurrentPlan { get; private set; } = "basic";

    public bool OnTeam { get; private set; }

    public PlanConsequences? Confirm { get; private set; }

    public async Task OnGetAsync(string? intent, string? plan, string? billing)
    {
        await LoadAsync();
        if (intent is "subscribe" or "change" or "cancel" or "resume")
        {
            var me = Me;
            // Resuming is choosing again the plan one is cancelling: same plan, same billing.
            (plan, billing) = intent == "resume" && Current is { } current ? (current.Plan, current.Billing) : (plan, billing);
            Confirm = await ReadAsync((e, now) => Consequences(e, now, me, intent, plan ?? CurrentPlan, billing ?? "monthly"));
        }
    }

    public async Task<IActionResult> OnPostAsync(string intent, string plan, string billing)
    {
        Command command = intent switch
        {
            "subscribe" => new Subscribe(Me, plan, billing),
            "change" or "resume" => new ChangePlan(Me, plan, billing),
            _ => new Cancel(Me),
        };
        var done = intent switch
        {
            "subscribe" => "You subscribed. Your first credits are on the Credits page.",
            "change" => "Your plan changed.",
            "resume" => "Your plan continues: the cancellation is withdrawn.",
            _ => "Your plan is cancelled at the end of the paid period.",
        };
        return await RunThenRedirectAsync(command, done, async () =>
        {
            await OnGetAsync(intent, plan, billing);
            return Page();
        });
    }

    private async Task LoadAsync()
    {
        var me = Me;
        (Catalog, Current, CurrentPlan, OnTeam) = await ReadAsync((e, now) =>
        {
            var m = e.State.FindMember(me)!;
            e.CatchUp(now, m);
            var team = e.State.FindTeam(m.TeamId);
            var current = m.Subscription is { } s ? View.Of(s, viaTeam: false) : team is { IsActive: true } ? View.Of(team.Subscription, viaTeam: true) : null;
            return ((IReadOnlyList<PlanView>)[.. e.Catalog.Plans.Select(View.Of)], current, e.PlanOf(m).Id, m.TeamId is not null);
        });
    }

    /// <summary>The consequences in the rules' own numbers, from the member's lots as they stand now.</summary>
    private static PlanConsequences? Consequences(InMailEngine e, DateTimeOffset now, string me, string action, string planId, string billingName)
    {
        var m = e.State.FindMember(me)!;
        e.CatchUp(now, m);
        if (!e.Catalog.TryGetPlan(planId, out var plan) || !Enum.TryParse<BillingPeriod>(billingName, ignoreCase: true, out var billing))
        {
            return null;
        }
        var lots = m.Wallet.LiveLots.Where(l => l.Remaining > 0).ToList();
        var allowance = lots.Where(l => l.Source == LotSource.Allowance).Sum(l => l.Remaining);
        var others = lots.Where(l => l.Source != LotSource.Allowance).Sum(l => l.Remaining);
        var price = plan.Billing(billing)?.PricePerMonthCents;
        var priceLine = plan.Paid ? $"You pay {Words.Money(price)} a month, billed {billing.ToString().ToLowerInvariant()}." : "Basic is free.";
        var firstGrant = Math.Min(plan.CreditsPerCycle, plan.Cap);
        var nextCycle = UtcCalendar.AddMonths(now, 1);
        var current = m.Subscription;
        var lines = new List<string>();
        string title;
        switch (action)
        {
            case "subscribe":
                title = $"Subscribe to {plan.Name}";
                lines.Add(priceLine);
                lines.Add($"{Words.Credits(firstGrant)} arrive now, and {Words.Credits(plan.CreditsPerCycle)} at the start of every monthly cycle (next on {Words.Day(nextCycle)}), up to {plan.Cap} unused; each grant lasts {e.Catalog.Policy.AllowanceLifetimeDays} days.");
                if (others > 0)
                {
                    lines.Add($"Your {Words.Credits(others)} from packs, bonuses and refunds stay{(e.IsPaid(m) ? "" : " and thaw")}.");
                }
                break;
            case "change":
                title = plan.Paid ? $"Change to {plan.Name}" : "Change to Basic (free) now";
                lines.Add(allowance > 0
                    ? $"Forfeited now: the {Words.Credits(allowance)} left from {current?.Plan.Name ?? "your plan"}'s monthly allowance. They do not carry over."
                    : $"Nothing is forfeited: no allowance credits are left from {current?.Plan.Name ?? "your plan"}.");
                lines.Add(others > 0
                    ? $"Stays: {Words.Credits(others)} from packs, bonuses and refunds{(plan.Paid ? "" : ", but frozen on Basic: they cannot be used until you subscribe again, and still expire on schedule")}."
                    : "You have no credits from packs, bonuses or refunds.");
                if (plan.Paid)
                {
                    lines.Add($"{Words.Credits(firstGrant)} of {plan.Name} arrive now; a new monthly cycle starts today (next grant on {Words.Day(nextCycle)}).");
                    lines.Add(priceLine);
                }
                else
                {
                    lines.Add("Your paid plan ends now; no money is refunded. Open Profile stops working and you cannot send paid InMail.");
                }
                break;
            case "resume":
                if (current is not { EndsAt: { } ending } || current.Plan.Id != plan.Id)
                {
                    return null;
                }
                title = $"Keep {plan.Name}";
                lines.Add($"The cancellation is withdrawn: {plan.Name} no longer ends on {Words.When(ending)}. {priceLine}");
                lines.Add($"Nothing is forfeited: your {Words.Credits(allowance)} of monthly allowance stay, and the monthly grants go on (next on {Words.Day(current.NextGrantAt)}).");
                break;
            default:
                if (current is null)
                {
                    return null;
                }
                var end = current.EndsAt ?? current.PaidPeriodEnd(now);
                title = $"Cancel {current.Plan.Name}";
                lines.Add($"You keep {current.Plan.Name} until the end of the paid period, {Words.When(end)}, with its monthly grants until then.");
                lines.Add($"Forfeited then: the allowance credits still left at that moment (you have {Words.Credits(allowance)} now). No money is refunded.");
                lines.Add(others > 0
                    ? $"Stays: {Words.Credits(others)} from packs, bonuses and refunds, frozen on Basic until you subscribe again."
                    : "You have no credits from packs, bonuses or refunds.");
                break;
        }
        return new PlanConsequences(action, plan.Id, billing.ToString().ToLowerInvariant(), title, lines);
    }
}
