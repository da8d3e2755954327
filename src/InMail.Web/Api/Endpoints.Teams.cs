using InMail.Domain;
using InMail.Domain.Commands;
using InMail.Domain.Credits;
using InMail.Web.Security;

namespace InMail.Web.Api;

/// <summary>The API: teams, seats, seat offers and the pool.</summary>
public static partial class Endpoints
{
    private static void MapTeams(RouteGroupBuilder api)
    {
        api.MapPost("/teams", (HttpContext context, Runner run) =>
            run.Command<TeamBody>(context, (b, who) => NewTeam(b, who), (_, _, r) => View.Of((Team)r), StatusCodes.Status201Created, TeamAt))
            .Doc<TeamBody, TeamView>("Creates a team on a team plan: you are its admin and hold a seat; every other member in seats is offered one, theirs once they accept",
                StatusCodes.Status201Created);

        api.MapGet("/teams/{team}", (HttpContext context, Runner run, string team) => run.Query(context, (e, now) =>
            TeamFor(e, now, team, context.Who(), adminOnly: false) is var t && !t.IsSuccess ? t.Refusal : View.Of(t.Value)))
            .Doc<TeamView>("A team: its seats, cap and pool (admins and seats only)");

        api.MapGet("/teams/{team}/ledger", (HttpContext context, Runner run, string team) => run.Query(context, (e, now) =>
            TeamFor(e, now, team, context.Who(), adminOnly: true) is var t && !t.IsSuccess ? t.Refusal : View.Of(t.Value.Pool.Ledger)))
            .Doc<List<LedgerEntryView>>("The pool's ledger (the admin only)");

        api.MapPost("/teams/{team}/seats", (HttpContext context, Runner run, string team) =>
            AsAdmin(context, run, team, () => run.Command<SeatBody>(context, (b, _) => new OfferSeat(team, b.Member), (_, _, r) => View.Of((Team)r))))
            .Doc<SeatBody, TeamView>("Offers a member a seat, theirs once they accept it (the admin only)");

        api.MapDelete("/teams/{team}/seats/{member}", (HttpContext context, Runner run, string team, string member) =>
            Runner.Resolve(member, context.Who()) == context.Who().Member
                ? run.Command(context, new LeaveTeam(team, context.Who().Member), (_, _, r) => View.Of((Team)r))
                : AsAdmin(context, run, team, () => run.Command(context, new RemoveSeat(team, member), (_, _, r) => View.Of((Team)r))))
            .Doc<TeamView>("Takes a seat away (the admin), or with your own id leaves the team");

        api.MapGet("/members/{id}/seat-offers", async (HttpContext context, Runner run, string id) =>
        {
            if (Self(context, id, "seat offers") is { } refused)
            {
                return await refused;
            }
            // The offering teams are found in their table (decision 007), then read.
            var offering = await run.Store.TeamsOfferingAsync(context.Who().Member, context.RequestAborted);
            return await run.Query(context, (e, now) =>
            {
                var me = context.Who().Member;
                var offers = new List<SeatOfferView>();
                foreach (var t in offering.Select(e.State.FindTeam).OfType<Team>().Where(t => t.OfferTo(me) is not null).ToList())
                {
                    e.CatchUp(now, t); // a team that ended has withdrawn its offers
                    if (t.OfferTo(me) is { } offer)
                    {
                        offers.Add(View.Of(t, offer));
                    }
                }
                return offers.OrderBy(o => o.OfferedAt).ToList();
            });
        })
            .Doc<List<SeatOfferView>>("Seats teams offered you and you have not answered");

        api.MapPost("/members/{id}/seat-offers/{team}/accept", (HttpContext context, Runner run, string id, string team) =>
            Self(context, id, "seat offers") ?? run.Command(context, new AcceptSeat(team, context.Who().Member), (_, _, r) => View.Of((Team)r)))
            .Doc<TeamView>("Accepts a seat offered to you: your plan is the team's, your InMails spend from its pool");

        api.MapPost("/members/{id}/seat-offers/{team}/decline", (HttpContext context, Runner run, string id, string team) =>
            Self(context, id, "seat offers") ?? run.Command(context, new DeclineSeat(team, context.Who().Member), NoBody, StatusCodes.Status204NoContent))
            .Doc("Declines a seat offered to you", StatusCodes.Status204NoContent);

        api.MapPut("/teams/{team}/seat-cap", (HttpContext context, Runner run, string team) =>
            AsAdmin(context, run, team, () => run.Command<SeatCapBody>(context, (b, _) => new SetSeatCap(team, b.SeatCap), (_, _, r) => View.Of((Team)r))))
            .Doc<SeatCapBody, TeamView>("Sets (or with null removes) how many pool credits a seat may spend per cycle (the admin only)");

        api.MapDelete("/teams/{team}", (HttpContext context, Runner run, string team) =>
            AsAdmin(context, run, team, () => run.Command(context, new CancelTeam(team), (_, _, r) => new CancelledView((DateTimeOffset)r))))
            .Doc<CancelledView>("Cancels the team plan at the end of its paid period (the admin only)");
    }

    /// <summary>A member's new team: they hold a seat and are its admin; the others named are offered a seat, not given one.</summary>
    private static Outcome<Command> NewTeam(TeamBody b, Principal who)
    {
        if (b.Seats.Count(s => s == who.Member) != 1)
        {
            return Refuse.With(RefusalCode.InvalidInput, "You are the team's admin: name yourself once among its seats; the others are offered a seat.");
        }
        return new CreateTeam(b.Id, b.Plan, [who.Member], b.Billing, b.SeatCap, who.Member, [.. b.Seats.Where(s => s != who.Member)]);
    }

    private static Outcome<Team> TeamFor(InMailEngine e, DateTimeOffset now, string id, Principal who, bool adminOnly)
    {
        if (e.State.FindTeam(id) is not { } team)
        {
            return Refuse.With(RefusalCode.UnknownTeam, $"There is no team '{id}'.");
        }
        e.CatchUp(now, team);
        var allowed = who.IsOperator || team.Admin == who.Member || (!adminOnly && team.HasSeat(who.Member));
        return allowed ? team : Refuse.With(RefusalCode.UnknownTeam, $"There is no team '{id}' you can see.");
    }

    /// <summary>Runs <paramref name="change"/> when the signed-in member is the team's admin; otherwise the refusal (a team you cannot see is not found).</summary>
    private static async Task<IResult> AsAdmin(HttpContext context, Runner run, string team, Func<Task<IResult>> change)
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
