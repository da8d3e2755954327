using InMail.Domain;
using InMail.Domain.Commands;
using InMail.Web.Security;

namespace InMail.Web.Api;

/// <summary>The API: subscriptions and credit packs.</summary>
public static partial class Endpoints
{
    private static void MapPlans(RouteGroupBuilder api)
    {
        api.MapGet("/members/{id}/subscription", (HttpContext context, Runner run, string id) =>
            Self(context, id, "subscription") ?? run.Query(context, (e, now) => Subscription(e, now, context.Who().Member)))
            .Doc<SubscriptionView>("Your plan: personal or through a team seat (404 with no-subscription on the free plan)");

        api.MapPost("/members/{id}/subscription", (HttpContext context, Runner run, string id) =>
            Self(context, id, "subscription") ?? run.Command<PlanBody>(context, (b, who) => new Subscribe(who.Member, b.Plan, b.Billing),
                (e, now, _) => Subscription(e, now, context.Who().Member).Value, StatusCodes.Status201Created,
                _ => $"/api/v1/members/{context.Who().Member}/subscription"))
            .Doc<PlanBody, SubscriptionView>("Subscribes to a paid plan; its first credits arrive at once", StatusCodes.Status201Created);

        api.MapPut("/members/{id}/subscription", async (HttpContext context, Runner run, string id) =>
        {
            if (Self(context, id, "subscription") is { } refused)
            {
                return await refused;
            }
            // A change to basic ends the subscription: the answer is that subscription, ending now (what it was is read first).
            var before = await run.Store.ReadAsync((e, now) => Subscription(e, now, context.Who().Member) is { IsSuccess: true, Value: SubscriptionView s } ? s : null,
                context.RequestAborted);
            return await run.Command<PlanBody>(context, (b, who) => new ChangePlan(who.Member, b.Plan, b.Billing),
                (e, now, _) => Subscription(e, now, context.Who().Member) is { IsSuccess: true } s ? s.Value
                    : (object?)(before is null ? null : before with { EndsAt = now, NextGrantAt = now }) ?? new SubscriptionView("basic", "monthly", now, now, now, false));
        }).Doc<PlanBody, SubscriptionView>("Changes plan: to another paid plan at once; to basic, ends the subscription now (the answer is the ended subscription, endsAt now)");

        api.MapDelete("/members/{id}/subscription", (HttpContext context, Runner run, string id) =>
            Self(context, id, "subscription") ?? run.Command(context, new Cancel(context.Who().Member), (_, _, r) => new CancelledView((DateTimeOffset)r)))
            .Doc<CancelledView>("Cancels at the end of the paid period");

        api.MapPost("/members/{id}/purchases", (HttpContext context, Runner run, string id) =>
            Self(context, id, "purchases") ?? run.Command<PurchaseBody>(context, (b, who) => new Buy(who.Member, b.Pack),
                (e, now, _) => View.Of(e.Credits(now, context.Who().Member).Value), StatusCodes.Status201Created,
                _ => $"/api/v1/members/{context.Who().Member}/credits"))
            .Doc<PurchaseBody, CreditsView>("Buys a credit pack (lasts 12 months)", StatusCodes.Status201Created);
    }

    private static Outcome<object> Subscription(InMailEngine e, DateTimeOffset now, string member)
    {
        var m = e.State.FindMember(member)!;
        e.CatchUp(now, m);
        if (m.Subscription is { } s)
        {
            return View.Of(s, viaTeam: false);
        }
        return e.State.FindTeam(m.TeamId) is { IsActive: true } team
            ? View.Of(team.Subscription, viaTeam: true)
            : Refuse.With(RefusalCode.NoSubscription, $"{m.Profile.Name} is on the free plan.");
    }
}
