using InMail.Domain.Time;
using InMail.Web.Hosting;
using InMail.Web.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;

namespace InMail.Web.Pages;

/// <summary>The demo clock: the operator moves time forward in demo mode to watch grants, expiries and refund windows happen.</summary>
public sealed class DemoClockModel(ServiceClock clock, IOptions<ServiceOptions> options) : PageModel
{
    public static readonly IReadOnlyList<(string Id, string Label)> Steps = [("day", "+1 day"), ("week", "+1 week"), ("month", "+1 month")];

    public DateTimeOffset Now { get; private set; }

    public TimeSpan Offset { get; private set; }

    public IActionResult OnGet()
    {
        if (!Allowed())
        {
            return NotFound();
        }
        (Now, Offset) = (clock.GetUtcNow(), clock.Offset);
        return Page();
    }

    public IActionResult OnPost(string step)
    {
        if (!Allowed())
        {
            return NotFound();
        }
        var now = clock.GetUtcNow();
        var by = step switch
        {
            "day" => TimeSpan.FromDays(1),
            "week" => TimeSpan.FromDays(7),
            "month" => UtcCalendar.AddMonths(now, 1) - now, // a calendar month, as billing cycles count them
            _ => TimeSpan.Zero,
        };
        if (by <= TimeSpan.Zero)
        {
            return BadRequest();
        }
        var moved = clock.Advance(by);
        TempData["Flash"] = $"The clock moved to {InMail.Web.Pages.Words.When(moved)}.";
        return RedirectToPage();
    }

    private bool Allowed() => options.Value.Mode == ServiceMode.Demo && HttpContext.Who().IsOperator;
}
