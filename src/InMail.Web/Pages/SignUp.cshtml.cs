using InMail.Domain;
using InMail.Domain.Commands;
using InMail.Web.Hosting;
using InMail.Web.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;

namespace InMail.Web.Pages;

/// <summary>
/// Sign-up: a new member picks an id, gives their name and a password, and is signed in. It makes the
/// same checks and the same command as <c>POST /api/v1/auth/register</c>, under the same attempt limit.
/// </summary>
[EnableRateLimiting(RateLimits.SignIn)]
public sealed class SignUpModel(Accounts accounts) : PageModel
{
    [BindProperty]
    public string Member { get; set; } = "";

    [BindProperty]
    public string Name { get; set; } = "";

    [BindProperty]
    public string Password { get; set; } = "";

    [BindProperty]
    public string? TimeZone { get; set; }

    /// <summary>The refusal, and the field it concerns ("member", "password", or "" for the form).</summary>
    public (string Field, Refusal Refusal)? Refused { get; private set; }

    public Refusal? RefusalFor(string field) => Refused is { } r && r.Field == field ? r.Refusal : null;

    public int MinPasswordLength => Accounts.MinPasswordLength;

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var id = Member.Trim();
        if (Accounts.CheckPassword(Password) is { } weak)
        {
            return Refuse("password", Domain.Refuse.With(RefusalCode.InvalidInput, weak));
        }
        if (Accounts.ReservedIds.Contains(id))
        {
            return Refuse("member", Domain.Refuse.With(RefusalCode.InvalidInput, $"The id '{id}' is reserved; choose another."));
        }
        var outcome = await accounts.RegisterAsync(new AddMember(id, Name.Trim(), Timezone: string.IsNullOrWhiteSpace(TimeZone) ? null : TimeZone.Trim()), Password);
        if (!outcome.IsSuccess)
        {
            return Refuse("", outcome.Refusal!); // the engine's sentence names the field (id taken, name too long, unknown time zone)
        }
        var who = new Principal(id, Roles.Member);
        await HttpContext.SignInWithSessionAsync(accounts, who); // a server-side session, which signing out ends (issue 10)
        TempData["Flash"] = $"Welcome, {Name.Trim()}. You are on the free plan: write to connections, Open Profile members and fellow group members, or see the plans for InMail credits.";
        return LocalRedirect("/inbox");
    }

    private PageResult Refuse(string field, Refusal refusal)
    {
        Refused = (field, refusal);
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }
}
