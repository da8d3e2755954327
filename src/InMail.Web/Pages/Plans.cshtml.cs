using InMail.Domain;
using InMail.Domain.Catalog;
using InMail.Domain.Commands;
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

    /// <summary>The intents a form may carry, as the engine's plan actions; anything else is no action at all.</summary>
    private static readonly IReadOnlyDictionary<string, PlanAction> Intents = new Dictionary<string, PlanAction>(StringComparer.Ordinal)
    {
        ["subscribe"] = PlanAction.Subscribe,
        ["change"] = PlanAction.Change,
        ["cancel"] = PlanAction.Cancel,
        ["resume"] = PlanAction.Resume,
    };

    public async Task OnGetAsync(string? intent, string? plan, string? billing)
    {
        await LoadAsync();
        if (intent is not null && Intents.TryGetValue(intent, out var action))
        {
            var me = Me;
            var time = Time;
            // Resuming is choosing again the plan one is cancelling: same plan, same billing.
            (plan, billing) = action == PlanAction.Resume && Current is { } current ? (current.Plan, current.Billing) : (plan, billing);
            Confirm = await ReadAsync((e, now) => Consequences(e, now, me, action, plan ?? CurrentPlan, billing ?? "monthly", time));
        }
    }

    public async Task<IActionResult> OnPostAsync([FromForm] string? intent, [FromForm] string? plan, [FromForm] string? billing)
    {
        // A form without a known intent changes nothing: above all it never cancels a plan. Only the
        // form's own fields count: the confirming page's address (?intent=cancel) is not an answer.
        if (intent is null || !Intents.TryGetValue(intent, out var action) || (action != PlanAction.Cancel && (plan is null || billing is null)))
        {
            Show(Refuse.With(RefusalCode.InvalidInput, "Choose what to do with your plan: subscribe, change, cancel or keep it."), "");
            await LoadAsync();
            return Page();
        }
        Command command = action switch
        {
            PlanAction.Subscribe => new Subscribe(Me, plan!, billing!),
            PlanAction.Change or PlanAction.Resume => new ChangePlan(Me, plan!, billing!),
            PlanAction.Cancel => new Cancel(Me),
            _ => throw new InvalidOperationException($"unknown plan action {action}"),
        };
        var done = action switch
        {
            PlanAction.Subscribe => "You subscribed. Your first credits are on the Credits page.",
            PlanAction.Change => "Your plan changed.",
            PlanAction.Resume => "Your plan continues: the cancellation is withdrawn.",
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
            var m = e.MemberAt(now, me)!;
            var team = e.State.FindTeam(m.TeamId);
            var current = m.Subscription is { } s ? View.Of(s, viaTeam: false) : team is { IsActive: true } ? View.Of(team.Subscription, viaTeam: true) : null;
            var mine = e.PlanOf(m).Id;
            // The member's own plan first, then the catalog's order.
            IReadOnlyList<PlanView> plans = [.. e.Catalog.Plans.OrderBy(p => p.Id == mine ? 0 : 1).Select(View.Of)];
            return (plans, current, mine, m.TeamId is not null);
        });
    }

    /// <summary>The engine's preview of the action (<see cref="InMailEngine.PreviewPlanChange"/>), said in sentences; null when it would be refused.</summary>
    private static PlanConsequences? Consequences(InMailEngine e, DateTimeOffset now, string me, PlanAction action, string planId, string billingName, MemberTime time)
    {
        if (!Enum.TryParse<BillingPeriod>(billingName, ignoreCase: true, out var billing))
        {
            return null;
        }
        var outcome = e.PreviewPlanChange(now, me, action, planId, billing);
        if (!outcome.IsSuccess)
        {
            return null;
        }
        var p = outcome.Value;
        var billed = p.Billing.ToString().ToLowerInvariant();
        var priceLine = p.To.Paid ? $"You pay {Words.Money(p.PricePerMonthCents)} a month, billed {billed}." : "Basic is free.";
        string Grant() => p.GrantedAtOnce == 0
            ? "No credits arrive now: your unused allowance is at the plan's cap."
            : $"{Words.Credits(p.GrantedAtOnce)} of {p.To.Name} arrive now{(p.GrantExpires is { } x ? $" and last until {time.Day(x)}" : "")}; then {Words.Credits(p.To.CreditsPerCycle)} at the start of every monthly cycle (next on {time.Day(p.NextGrantAt!.Value)}), up to {p.To.Cap} unused.";
        string Others(string stays) => p.OtherCredits == 0 ? "You have no credits from packs, bonuses or refunds." : stays;
        var lines = new List<string>();
        string title;
        switch (p.Action)
        {
            case PlanAction.Subscribe:
                title = $"Subscribe to {p.To.Name}";
                lines.Add(priceLine);
                lines.Add(Grant());
                if (p.OtherCredits > 0)
                {
                    lines.Add($"Your {Words.Credits(p.OtherCredits)} from packs, bonuses and refunds stay{(p.OthersThaw ? " and thaw" : "")}.");
                }
                break;
            case PlanAction.Change:
                title = p.To.Paid ? $"Change to {p.To.Name}" : "Change to Basic (free) now";
                lines.Add(p.AllowanceForfeited > 0
                    ? $"Forfeited now: the {Words.Credits(p.AllowanceForfeited)} left from {p.From.Name}'s monthly allowance. They do not carry over."
                    : $"Nothing is forfeited: no allowance credits are left from {p.From.Name}.");
                lines.Add(Others(p.OthersFrozen
                    ? $"Stays: {Words.Credits(p.OtherCredits)} from packs, bonuses and refunds, but frozen on Basic: they cannot be used until you subscribe again, and still expire on schedule."
                    : $"Stays: {Words.Credits(p.OtherCredits)} from packs, bonuses and refunds."));
                if (p.To.Paid)
                {
                    lines.Add($"A new monthly cycle starts today. {Grant()}");
                    lines.Add(priceLine);
                }
                else
                {
                    lines.Add("Your paid plan ends now; no money is refunded. Open Profile stops working and you cannot send paid InMail.");
                }
                break;
            case PlanAction.Resume:
                title = $"Keep {p.To.Name}";
                lines.Add($"The cancellation is withdrawn: {p.To.Name} no longer ends on {time.Absolute(p.CancellationWithdrawn!.Value)}. {priceLine}");
                lines.Add($"Nothing is forfeited: your {Words.Credits(p.AllowanceHeld)} of monthly allowance stay, and the monthly grants go on (next on {time.Day(p.NextGrantAt!.Value)}).");
                break;
            default:
                title = $"Cancel {p.From.Name}";
                lines.Add($"You keep {p.From.Name} until the end of the paid period, {time.Absolute(p.TakesEffectAt)}{(p.NextGrantAt is { } next ? $", with its monthly grants until then (next on {time.Day(next)})" : ", with no more grant before then")}.");
                lines.Add($"Forfeited then: the allowance credits still left at that moment (you have {Words.Credits(p.AllowanceForfeited)} now). No money is refunded.");
                lines.Add(Others($"Stays: {Words.Credits(p.OtherCredits)} from packs, bonuses and refunds, frozen on Basic until you subscribe again."));
                break;
        }
        var intent = Intents.First(i => i.Value == p.Action).Key;
        return new PlanConsequences(intent, p.To.Id, billed, title, lines);
    }
}
