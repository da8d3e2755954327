using InMail.Domain.Inspection;
using InMail.Web.Hosting;
using Microsoft.Extensions.Options;

namespace InMail.Web.Api;

/// <summary>
/// Operator endpoints that exist for scenario replays against a server in test mode
/// (<c>inmail replay --server</c>). Every other mode answers 409 <c>not-in-test-mode</c>: the whole
/// state, every member's ledger included, is not something a live service hands out in one response.
/// </summary>
public static class TestEndpoints
{
    public static void MapTestApi(this RouteGroupBuilder ops)
    {
        ArgumentNullException.ThrowIfNull(ops);
        ops.MapGet("/state", (Runner run, IOptions<ServiceOptions> options, bool? activity, CancellationToken cancellationToken) =>
        {
            if (options.Value.Mode != ServiceMode.Test)
            {
                return Task.FromResult<IResult>(Problems.Of(StatusCodes.Status409Conflict, "not-in-test-mode", "The whole state can only be read in test mode."));
            }
            return State(run, activity ?? false, cancellationToken);
        }).DocAnyJson("The whole state at the clock's now, every member and team caught up, as the replay command writes it; " +
            "activity=true adds settings, connections, groups, blocks and message states (test mode, for scenario replays)");
    }

    private static async Task<IResult> State(Runner run, bool activity, CancellationToken cancellationToken)
    {
        // Catching up is what every read does for the members it looks at; here it is every member.
        var json = await run.Store.ReadWholeAsync((e, now) => StateJson.Snapshot(e, now, activity), cancellationToken);
        return Results.Text(json, "application/json");
    }
}
