using InMail.Domain;
using InMail.Web.Security;
using Microsoft.AspNetCore.Http.HttpResults;

namespace InMail.Web.Api;

/// <summary>Decision 013: outreach per template (with its test against the baseline) and the team admin's report.</summary>
public static class ReportEndpoints
{
    private const string BadPeriod = "from and to are ISO-8601 instants with an offset, like 2026-03-01T09:00:00Z.";

    /// <summary>Maps the report resources into <paramref name="api"/>.</summary>
    public static void MapReportsApi(this RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        api.MapGet("/members/{id}/outreach/templates", async Task<Results<Answer<TemplateReportView>, ProblemResult>> (HttpContext context, Runner run, string id, string? from, string? to) =>
        {
            var member = Runner.Resolve(id, context.Who());
            if ((context.Who().IsOperator ? null : Endpoints.Self(context, id, "outreach")) is { } refused)
            {
                return refused;
            }
            if (!Endpoints.TryOptionalInstant(from, out var start) || !Endpoints.TryOptionalInstant(to, out var end))
            {
                return Problems.Of(StatusCodes.Status400BadRequest, "invalid-input", BadPeriod);
            }
            return await run.Query<TemplateReportView>(context, (e, now) => e.TemplateOutreach(now, member, start, end) is var r && r.IsSuccess ? ReportViews.Of(r.Value) : r.Refusal);
        }).Doc("Outreach measures per template over the InMails you sent with from ≤ sent < to, each template's reply rate "
            + "against your most-used one: Fisher's exact test (two-sided), the difference with Newcombe's 95% interval, and a verdict "
            + "(not-enough-data below the minimum sends per arm)");

        api.MapGet("/teams/{team}/report", async Task<Results<Answer<TeamReportView>, ProblemResult>> (HttpContext context, Runner run, string team, string? from, string? to) =>
        {
            if (!Endpoints.TryOptionalInstant(from, out var start) || !Endpoints.TryOptionalInstant(to, out var end))
            {
                return Problems.Of(StatusCodes.Status400BadRequest, "invalid-input", BadPeriod);
            }
            var who = context.Who();
            var (exists, isAdmin, isSeat) = await run.Store.ReadAsync((e, _) =>
                e.State.FindTeam(team) is { } t ? (true, t.Admin == who.Member, t.HasSeat(who.Member)) : (false, false, false), context.RequestAborted);
            if (!who.IsOperator && !isAdmin)
            {
                // A seat knows the team exists and is told it may not read this; anyone else learns nothing, as elsewhere in /teams.
                return exists && isSeat
                    ? Problems.Of(StatusCodes.Status403Forbidden, "forbidden", "Only the team's admin can read the team's report.")
                    : Problems.Refused(Refuse.With(RefusalCode.UnknownTeam, $"There is no team '{team}' you can see."));
            }
            return await run.Query<TeamReportView>(context, (e, now) => e.TeamReport(now, team, start, end) is var r && r.IsSuccess ? ReportViews.Of(r.Value) : r.Refusal);
        }).Doc("The team's report for its admin: per seat over from ≤ sent < to — InMails sent, reply rate, pool credits "
            + "used and refunded, use of the seat cap this cycle — and per pool cycle its grants, spends, refunds, expiries and forfeits");
    }
}
