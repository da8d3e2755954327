using InMail.Domain.Advice;
using InMail.Domain.Catalog;
using InMail.Web.Security;
using Microsoft.AspNetCore.Http.HttpResults;

namespace InMail.Web.Api;

/// <summary>
/// SPEC §12, the plan advisor: a member's own InMails of a period replayed under every plan they can
/// buy, on scratch engines (decision 012). Reads only: the member's account is untouched.
/// </summary>
public static class AdviceEndpoints
{
    /// <summary>Maps <c>GET /members/{id}/advice</c> into <paramref name="api"/>.</summary>
    public static void MapAdviceApi(this RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        api.MapGet("/members/{id}/advice", async Task<Results<Answer<AdviceView>, ProblemResult>> (HttpContext context, Runner run, string id, string? from, string? to) =>
        {
            var who = context.Who();
            if (!who.IsOperator && Endpoints.Self(context, id, "advice") is { } refused)
            {
                return refused;
            }
            if (!Endpoints.TryOptionalInstant(from, out var start) || !Endpoints.TryOptionalInstant(to, out var end))
            {
                return Problems.Of(StatusCodes.Status400BadRequest, "invalid-input", "from and to are ISO-8601 instants with an offset, like 2026-03-01T09:00:00Z.");
            }
            var advice = await run.Store.AdviseAsync(Runner.Resolve(id, who), start, end, context.RequestAborted);
            return advice.IsSuccess ? new Answer<AdviceView>(AdviceView.Of(Runner.Resolve(id, who), advice.Value)) : Problems.Refused(advice.Refusal!);
        }).Doc("Which plan would have cost you least per reply: your InMails with from ≤ sent < to (default: the last 365 days) replayed under "
            + "every plan and billing period you can buy, with price, packs, refusals by code, credits expired, replies and cost per reply (SPEC §12); changes nothing");
    }
}

/// <summary>The advice for a member: every plan's outcome, the cheapest per reply (null when no plan got a reply) and why.</summary>
public sealed record AdviceView(string Member, DateTimeOffset From, DateTimeOffset To, int InMails, int Responded, IReadOnlyList<PlanOutcomeView> Plans,
    PlanChoiceView? Cheapest, string Reason)
{
    public static AdviceView Of(string member, PlanAdvice advice)
    {
        ArgumentNullException.ThrowIfNull(advice);
        return new AdviceView(member, advice.From, advice.To, advice.InMails, advice.Responded, [.. advice.Plans.Select(PlanOutcomeView.Of)],
            advice.Cheapest is { } c ? new PlanChoiceView(c.Plan, c.Billing) : null, advice.Reason);
    }
}

/// <summary>A plan and billing period.</summary>
public sealed record PlanChoiceView(string Plan, BillingPeriod Billing);

/// <summary>One plan's replay: money in integer cents, refusals by code, cost per reply null without replies.</summary>
public sealed record PlanOutcomeView(string Plan, string Name, BillingPeriod Billing, long SubscriptionCents, int PacksBought, long PacksCents, long PriceCents,
    int Sent, int Refused, IReadOnlyDictionary<string, int> RefusedByCode, int CreditsExpired, int Replies, long? CostPerReplyCents)
{
    public static PlanOutcomeView Of(PlanOutcome p)
    {
        ArgumentNullException.ThrowIfNull(p);
        return new PlanOutcomeView(p.Plan, p.PlanName, p.Billing, p.SubscriptionCents, p.PacksBought, p.PacksCents, p.PriceCents,
            p.Sent, p.Refused, p.RefusedByCode, p.CreditsExpired, p.Replies, p.CostPerReplyCents);
    }
}
