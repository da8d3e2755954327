using InMail.Domain;
using InMail.Domain.Commands;
using InMail.Domain.Credits;
using InMail.Web.Security;
using Microsoft.AspNetCore.Http.HttpResults;

namespace InMail.Web.Api;

/// <summary>The API: teams, seats, seat offers and the pool.</summary>
public static partial class Endpoints
{
    /// <summary>Maps teams, seats, seat offers and the pool into <paramref name="api"/>.</summary>
    public static void MapTeamsApi(this RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        api.MapPost("/teams", (HttpContext context, Runner run) =>
            run.CreateAsync(context, (TeamBody b, Principal who) => Task.FromResult(NewTeam(b, who)), (_, _, team) => View.Of(team), TeamAt))
            .DocIn<TeamBody>("Creates a team on a team plan: you are its admin and hold a seat; every other member in seats is offered one, theirs once they accept");

        api.MapGet("/teams/{team}", (HttpContext context, Runner run, string team) => run.Query<TeamView>(context, (e, now) =>
            TeamFor(e, now, team, context.Who(), adminOnly: false) is var t && !t.IsSuccess ? t.Refusal : View.Of(t.Value)))
            .Doc("A team: its seats, cap and pool (admins and seats only)");

        api.MapGet("/teams/{team}/ledger", (HttpContext context, Runner run, string team) => run.Query<List<LedgerEntryView>>(context, (e, now) =>
            TeamFor(e, now, team, context.Who(), adminOnly: true) is var t && !t.IsSuccess ? t.Refusal : View.Of(t.Value.Pool.Ledger)))
            .Doc("The pool's ledger (the admin only)");

        api.MapPost("/teams/{team}/seats", (HttpContext context, Runner run, string team) =>
            AsAdmin(context, run, team, () => run.Command(context, (SeatBody b, Principal _) => new OfferSeat(team, b.Member), (_, _, t) => View.Of(t))))
            .DocIn<SeatBody>("Offers a member a seat, theirs once they accept it (the admin only)");

        api.MapDelete("/teams/{team}/seats/{member}", (HttpContext context, Runner run, string team, string member) =>
            Runner.Resolve(member, context.Who()) == context.Who().Member
                ? run.Command(context, new LeaveTeam(team, context.Who().Member), (_, _, t) => View.Of(t))
                : AsAdmin(context, run, team, () => run.Command(context, new RemoveSeat(team, member), (_, _, t) => View.Of(t))))
            .Doc("Takes a seat away (the admin), or with your own id leaves the team");

        api.MapGet("/members/{id}/seat-offers", async Task<Results<Answer<List<SeatOfferView>>, ProblemResult>> (HttpContext context, Runner run, string id) =>
        {
            if (Self(context, id, "seat offers") is { } refused)
            {
                return refused;
            }
            // The offering teams are found in their table (decision 007), then read.
            var offering = await run.Store.TeamsOfferingAsync(context.Who().Member, context.RequestAborted);
            return await run.Query<List<SeatOfferView>>(context, (e, now) =>
            {
                var me = context.Who().Member;
                var offers = new List<SeatOfferView>();
                // Caught up first: a team that ended has withdrawn its offers.
                foreach (var t in offering.Select(t => e.TeamAt(now, t)).OfType<Team>().ToList())
                {
                    if (t.OfferTo(me) is { } offer)
                    {
                        offers.Add(View.Of(t, offer));
                    }
                }
                return offers.OrderBy(o => o.OfferedAt).ToList();
            });
        })
            .Doc("Seats teams offered you and you have not answered");

        api.MapPost("/members/{id}/seat-offers/{team}/accept", async (HttpContext context, Runner run, string id, string team) =>
            Self(context, id, "seat offers") ?? await run.Command(context, new AcceptSeat(team, context.Who().Member), (_, _, t) => View.Of(t)))
            .Doc("Accepts a seat offered to you: your plan is the team's, your InMails spend from its pool");

        api.MapPost("/members/{id}/seat-offers/{team}/decline", async (HttpContext context, Runner run, string id, string team) =>
            Self(context, id, "seat offers") ?? await run.NoContent(context, new DeclineSeat(team, context.Who().Member)))
            .Doc("Declines a seat offered to you");

        api.MapPut("/teams/{team}/seat-cap", (HttpContext context, Runner run, string team) =>
            AsAdmin(context, run, team, () => run.Command(context, (SeatCapBody b, Principal _) => new SetSeatCap(team, b.SeatCap), (_, _, t) => View.Of(t))))
            .DocIn<SeatCapBody>("Sets (or with null removes) how many pool credits a seat may spend per cycle (the admin only)");

        api.MapDelete("/teams/{team}", (HttpContext context, Runner run, string team) =>
            AsAdmin(context, run, team, () => run.Command(context, new CancelTeam(team), (_, _, endsAt) => new CancelledView(endsAt))))
            .Doc("Cancels the team plan at the end of its paid period (the admin only)");
    }

    /// <summary>A member's new team: they hold a seat and are its admin; the others named are offered a seat, not given one.</summary>
    private static Outcome<Command<Team>> NewTeam(TeamBody b, Principal who)
    {
        if (b.Seats.Count(s => s == who.Member) != 1)
        {
            return Refuse.With(RefusalCode.InvalidInput, "You are the team's admin: name yourself once among its seats; the others are offered a seat.");
        }
        return new CreateTeam(b.Id, b.Plan, [who.Member], b.Billing, b.SeatCap, who.Member, [.. b.Seats.Where(s => s != who.Member)]);
    }

    private static Outcome<Team> TeamFor(InMailEngine e, DateTimeOffset now, string id, Principal who, bool adminOnly)
    {
        if (e.TeamAt(now, id) is not { } team)
        {
            return Refuse.With(RefusalCode.UnknownTeam, $"There is no team '{id}'.");
        }
        var allowed = who.IsOperator || team.Admin == who.Member || (!adminOnly && team.HasSeat(who.Member));
        return allowed ? team : Refuse.With(RefusalCode.UnknownTeam, $"There is no team '{id}' you can see.");
    }

    /// <summary>Runs <paramref name="change"/> when the signed-in member is the team's admin; otherwise the refusal (a team you cannot see is not found).</summary>
    private static async Task<Results<TAnswer, ProblemResult>> AsAdmin<TAnswer>(HttpContext context, Runner run, string team,
        Func<Task<Results<TAnswer, ProblemResult>>> change)
        where TAnswer : IResult
    {
        var who = context.Who();
        var (exists, isAdmin, isSeat) = await run.Store.ReadAsync((e, _) =>
            e.State.FindTeam(team) is { } t ? (true, t.Admin == who.Member, t.HasSeat(who.Member)) : (false, false, false), context.RequestAborted);
        if (isAdmin)
        {
            return await change();
        }
        return exists && isSeat
            ? Problems.Of(StatusCodes.Status403Forbidden, "forbidden", "Only the team's admin can change the team.")
            : Problems.Refused(Refuse.With(RefusalCode.UnknownTeam, $"There is no team '{team}' you can see."));
    }
}
