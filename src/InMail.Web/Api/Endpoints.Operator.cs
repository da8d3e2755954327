using InMail.Domain.Commands;
using InMail.Web.Hosting;
using InMail.Web.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace InMail.Web.Api;

/// <summary>The API: the operator's tools.</summary>
public static partial class Endpoints
{
    /// <summary>Maps the operator's tools into <paramref name="ops"/>.</summary>
    public static void MapOperatorApi(this RouteGroupBuilder ops)
    {
        ArgumentNullException.ThrowIfNull(ops);
        ops.MapPost("/members/{id}/bonuses", (HttpContext context, Runner run, string id) =>
            run.Create(context, (BonusBody b, Principal _) => new GrantBonus(id, b.Credits, b.Days, b.Reason),
                (_, _, lot) => View.Of(lot), _ => $"/api/v1/members/{id}/credits"))
            .DocIn<BonusBody>("Grants bonus credits that last the given days (operators)");

        ops.MapPost("/teams", (HttpContext context, Runner run) =>
            run.Create(context, (OperatorTeamBody b, Principal _) => new CreateTeam(b.Id, b.Plan, b.Seats, b.Billing, b.SeatCap, b.Admin, b.Offers),
                (_, _, team) => View.Of(team), TeamAt))
            .DocIn<OperatorTeamBody>("Creates a team whose seats are held at once, as an import would (operators)");

        ops.MapPost("/teams/{team}/seats", (HttpContext context, Runner run, string team) =>
            run.Command(context, (SeatBody b, Principal _) => new AddSeat(team, b.Member), (_, _, seated) => View.Of(seated)))
            .DocIn<SeatBody>("Gives a member a seat without an offer, as an import would (operators)");

        ops.MapPost("/connections", (HttpContext context, Runner run) =>
            run.NoContent(context, (ConnectBody b, Principal _) => new Connect(b.A, b.B)))
            .DocIn<ConnectBody>("Connects two members directly, as an import would (operators)");

        ops.MapGet("/clock", (ServiceClock clock, IOptions<ServiceOptions> options) =>
            new Answer<ClockView>(new ClockView(clock.GetUtcNow(), clock.Offset, options.Value.Mode.ToString().ToLowerInvariant())))
            .Doc("The service's clock");

        ops.MapPost("/clock/advance", async Task<Results<Answer<ClockView>, ProblemResult>> (HttpContext context, ServiceClock clock, DueWork due, IOptions<ServiceOptions> options) =>
        {
            if (options.Value.Mode == ServiceMode.Live)
            {
                return Problems.Of(StatusCodes.Status409Conflict, "not-in-demo-mode", "The clock can only be moved in demo or test mode.");
            }
            var (body, problem) = await ApiJson.ReadAsync<ClockAdvanceBody>(context.Request);
            if (problem is not null)
            {
                return problem;
            }
            // In minutes, as a long: hours and minutes are bounded by the total, not by an overflow.
            var minutes = ((long)body!.Days * 24 + body.Hours) * 60 + body.Minutes;
            if (body.Days < 0 || body.Hours < 0 || body.Minutes < 0 || minutes == 0 || minutes > 3660L * 24 * 60)
            {
                return Problems.Of(StatusCodes.Status400BadRequest, "invalid-input", "Move the clock forward by something, and by at most 3660 days in all (days plus hours and minutes).");
            }
            var target = clock.GetUtcNow() + TimeSpan.FromMinutes(minutes);
            if (!clock.CanSet(target))
            {
                return TooFar(clock);
            }
            await due.AdvanceToAsync(target, context.RequestAborted); // due work on the way runs at its own instant
            return new Answer<ClockView>(new ClockView(clock.GetUtcNow(), clock.Offset, options.Value.Mode.ToString().ToLowerInvariant()));
        }).DocIn<ClockAdvanceBody>("Moves the clock forward so renewals, expiries and refund windows can be seen (demo and test modes)");

        ops.MapPut("/clock", async Task<Results<Answer<ClockView>, ProblemResult>> (HttpContext context, ServiceClock clock, DueWork due, IOptions<ServiceOptions> options) =>
        {
            if (options.Value.Mode != ServiceMode.Test)
            {
                return Problems.Of(StatusCodes.Status409Conflict, "not-in-test-mode", "The clock can only be set to an instant in test mode.");
            }
            var (body, problem) = await ApiJson.ReadAsync<ClockSetBody>(context.Request);
            if (problem is not null)
            {
                return problem;
            }
            var now = clock.GetUtcNow();
            if (body!.At < now)
            {
                return Problems.Of(StatusCodes.Status409Conflict, "clock-backwards", "The clock never goes back.");
            }
            if (!clock.CanSet(body.At))
            {
                return TooFar(clock);
            }
            await due.AdvanceToAsync(body.At, context.RequestAborted); // due work on the way runs at its own instant
            return new Answer<ClockView>(new ClockView(clock.GetUtcNow(), clock.Offset, "test"));
        }).DocIn<ClockSetBody>("Sets the clock to an instant (test mode, for scenario scripts)");
    }

    private static ProblemResult TooFar(ServiceClock clock) => Problems.Of(StatusCodes.Status409Conflict, "clock-too-far",
        $"The clock goes at most a century ahead of the real time; it is {clock.Offset.TotalDays:0} days ahead now.");
}
