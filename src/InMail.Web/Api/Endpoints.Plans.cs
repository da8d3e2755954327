using InMail.Domain;
using InMail.Domain.Commands;
using InMail.Web.Security;
using Microsoft.AspNetCore.Http.HttpResults;

namespace InMail.Web.Api;

/// <summary>The API: subscriptions and credit packs.</summary>
public static partial class Endpoints
{
    /// <summary>Maps subscriptions and credit pack purchases into <paramref name="api"/>.</summary>
    public static void MapPlansApi(this RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        api.MapGet("/members/{id}/subscription", async (HttpContext context, Runner run, string id) =>
            Self(context, id, "subscription") ?? await run.Query(context, (e, now) => Subscription(e, now, context.Who().Member)))
            .Doc("Your plan: personal or through a team seat (404 with no-subscription on the free plan)");

        api.MapPost("/members/{id}/subscription", async (HttpContext context, Runner run, string id) =>
            Self(context, id, "subscription") ?? await run.Create(context, (PlanBody b, Principal who) => new Subscribe(who.Member, b.Plan, b.Billing),
                (e, now, _) => Subscription(e, now, context.Who().Member).Value,
                _ => $"/api/v1/members/{context.Who().Member}/subscription"))
            .DocIn<PlanBody>("Subscribes to a paid plan; its first credits arrive at once");

        api.MapPut("/members/{id}/subscription", async Task<Results<Answer<SubscriptionView>, ProblemResult>> (HttpContext context, Runner run, string id) =>
        {
            if (Self(context, id, "subscription") is { } refused)
            {
                return refused;
            }
            // A change to basic ends the subscription: the answer is that subscription, ending now (what it was is read first).
            var before = await run.Store.ReadAsync((e, now) => Subscription(e, now, context.Who().Member) is { IsSuccess: true } s ? s.Value : null,
                context.RequestAborted);
            return await run.Command(context, (PlanBody b, Principal who) => new ChangePlan(who.Member, b.Plan, b.Billing),
                (e, now, _) => Subscription(e, now, context.Who().Member) is { IsSuccess: true } s ? s.Value
                    : before is null ? new SubscriptionView("basic", "monthly", now, now, now, false)
                    : before with { EndsAt = now, NextGrantAt = now });
        }).DocIn<PlanBody>("Changes plan: to another paid plan at once; to basic, ends the subscription now (the answer is the ended subscription, endsAt now)");

        api.MapDelete("/members/{id}/subscription", async (HttpContext context, Runner run, string id) =>
            Self(context, id, "subscription") ?? await run.Command(context, new Cancel(context.Who().Member), (_, _, endsAt) => new CancelledView(endsAt)))
            .Doc("Cancels at the end of the paid period");

        api.MapPost("/members/{id}/purchases", async (HttpContext context, Runner run, string id) =>
            Self(context, id, "purchases") ?? await run.Create(context, (PurchaseBody b, Principal who) => new Buy(who.Member, b.Pack),
                (e, now, _) => View.Of(e.Credits(now, context.Who().Member).Value),
                _ => $"/api/v1/members/{context.Who().Member}/credits"))
            .DocIn<PurchaseBody>("Buys a credit pack (lasts 12 months)");
    }

    private static Outcome<SubscriptionView> Subscription(InMailEngine e, DateTimeOffset now, string member)
    {
        var m = e.MemberAt(now, member)!;
        if (m.Subscription is { } s)
        {
            return View.Of(s, viaTeam: false);
        }
        return e.State.FindTeam(m.TeamId) is { IsActive: true } team
            ? View.Of(team.Subscription, viaTeam: true)
            : Refuse.With(RefusalCode.NoSubscription, $"{m.Profile.Name} is on the free plan.");
    }
}
