using InMail.Domain.Commands;
using InMail.Domain.Credits;
using InMail.Web.Hosting;
using Microsoft.Extensions.Options;

namespace InMail.Web.Api;

/// <summary>The API: the operator's tools.</summary>
public static partial class Endpoints
{
    private static void MapOperator(RouteGroupBuilder ops)
    {
        ops.MapPost("/members/{id}/bonuses", (HttpContext context, Runner run, string id) =>
            run.Command<BonusBody>(context, (b, _) => new GrantBonus(id, b.Credits, b.Days, b.Reason),
                (_, _, r) => View.Of((Lot)r), StatusCodes.Status201Created, _ => $"/api/v1/members/{id}/credits"))
            .Doc<BonusBody, LotView>("Grants bonus credits that last the given days (operators)", StatusCodes.Status201Created);

        ops.MapPost("/teams", (HttpContext context, Runner run) =>
            run.Command<OperatorTeamBody>(context, (b, _) => new CreateTeam(b.Id, b.Plan, b.Seats, b.Billing, b.SeatCap, b.Admin, b.Offers),
                (_, _, r) => View.Of((Team)r), StatusCodes.Status201Created, TeamAt))
            .Doc<OperatorTeamBody, TeamView>("Creates a team whose seats are held at once, as an import would (operators)", StatusCodes.Status201Created);

        ops.MapPost("/teams/{team}/seats", (HttpContext context, Runner run, string team) =>
            run.Command<SeatBody>(context, (b, _) => new AddSeat(team, b.Member), (_, _, r) => View.Of((Team)r)))
            .Doc<SeatBody, TeamView>("Gives a member a seat without an offer, as an import would (operators)");

        ops.MapPost("/connections", (HttpContext context, Runner run) =>
            run.Command<ConnectBody>(context, (b, _) => new Connect(b.A, b.B), NoBody, StatusCodes.Status204NoContent))
            .DocIn<ConnectBody>("Connects two members directly, as an import would (operators)", StatusCodes.Status204NoContent);

        ops.MapGet("/clock", (ServiceClock clock, IOptions<ServiceOptions> options) =>
            Results.Json(new ClockView(clock.GetUtcNow(), clock.Offset, options.Value.Mode.ToString().ToLowerInvariant()), ApiJson.Options))
            .Doc<ClockView>("The service's clock");

        ops.MapPost("/clock/advance", async (HttpContext context, ServiceClock clock, DueWork due, IOptions<ServiceOptions> options) =>
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
            return Results.Json(new ClockView(clock.GetUtcNow(), clock.Offset, options.Value.Mode.ToString().ToLowerInvariant()), ApiJson.Options);
        }).Doc<ClockAdvanceBody, ClockView>("Moves the clock forward so renewals, expiries and refund windows can be seen (demo and test modes)");

        ops.MapPut("/clock", async (HttpContext context, ServiceClock clock, DueWork due, IOptions<ServiceOptions> options) =>
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
            return Results.Json(new ClockView(clock.GetUtcNow(), clock.Offset, "test"), ApiJson.Options);
        }).Doc<ClockSetBody, ClockView>("Sets the clock to an instant (test mode, for scenario scripts)");
    }

    private static ProblemResult TooFar(ServiceClock clock) => Problems.Of(StatusCodes.Status409Conflict, "clock-too-far",
        $"The clock goes at most a century ahead of the real time; it is {clock.Offset.TotalDays:0} days ahead now.");
}
