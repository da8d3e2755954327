using InMail.Storage;
using InMail.Web.Api;
using Microsoft.AspNetCore.Mvc;

namespace InMail.Web.Pages;

/// <summary>
/// The team report (decision 013), for the team's admin alone: per seat, InMails sent, reply rate, pool
/// credits used against the seat cap and refunds; per pool cycle, its grants, spends, refunds and expiries.
/// A seat who is not the admin gets 403, a member without a team 404.
/// </summary>
public sealed class TeamReportModel(CommandStore store) : MemberPage(store)
{
    [BindProperty(SupportsGet = true)]
    public int Days { get; set; }

    public TeamReportView Report { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync()
    {
        if (!ResultsModel.Periods.Any(p => p.Days == Days))
        {
            Days = 0;
        }
        var (me, days) = (Me, Days);
        var (status, report) = await ReadAsync<(int, TeamReportView?)>((e, now) =>
        {
            if (e.MemberAt(now, me)?.TeamId is not { } id || e.TeamAt(now, id) is not { } team)
            {
                return (StatusCodes.Status404NotFound, null);
            }
            if (team.Admin != me)
            {
                return (team.HasSeat(me) ? StatusCodes.Status403Forbidden : StatusCodes.Status404NotFound, null);
            }
            return (StatusCodes.Status200OK, ReportViews.Of(e.TeamReport(now, id, days == 0 ? null : now.AddDays(-days), null).Value));
        });
        if (report is null)
        {
            return StatusCode(status);
        }
        Report = report;
        return Page();
    }
}
