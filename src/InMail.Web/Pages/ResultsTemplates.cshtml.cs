using InMail.Storage;
using InMail.Web.Api;
using Microsoft.AspNetCore.Mvc;

namespace InMail.Web.Pages;

/// <summary>
/// Results per template (decision 013): SPEC §9's measures for the InMails rendered from each template,
/// and each template's reply rate tested against the member's most-used one.
/// </summary>
public sealed class ResultsTemplatesModel(CommandStore store) : MemberPage(store)
{
    [BindProperty(SupportsGet = true)]
    public int Days { get; set; }

    public TemplateReportView Report { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync()
    {
        if (!ResultsModel.Periods.Any(p => p.Days == Days))
        {
            Days = 0;
        }
        var (me, days) = (Me, Days);
        Report = await ReadAsync((e, now) => ReportViews.Of(e.TemplateOutreach(now, me, days == 0 ? null : now.AddDays(-days), null).Value));
        return Page();
    }

    /// <summary>A row's name: the template id, or what typed text is called.</summary>
    public static string NameOf(TemplateResultView row) => row.Template ?? "Typed by hand";
}
