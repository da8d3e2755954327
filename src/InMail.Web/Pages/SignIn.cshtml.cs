using InMail.Web.Demo;
using InMail.Web.Hosting;
using InMail.Web.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace InMail.Web.Pages;

/// <summary>Signs in with a member id and password (the session cookie); in demo mode, lists the demo personas.</summary>
[EnableRateLimiting(RateLimits.SignIn)]
public sealed class SignInModel(Accounts accounts, IOptions<ServiceOptions> options) : PageModel
{
    [BindProperty]
    public string Member { get; set; } = "";

    [BindProperty]
    public string Password { get; set; } = "";

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public string? Error { get; private set; }

    public IReadOnlyList<DemoSignIn> DemoSignIns => options.Value.Mode == ServiceMode.Demo ? DemoNetwork.SignIns : [];

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var who = await accounts.VerifyAsync(Member.Trim(), Password, HttpContext.RequestAborted);
        if (who is null)
        {
            Error = "That member id and password do not match.";
            Response.StatusCode = StatusCodes.Status401Unauthorized;
            return Page();
        }
        return await SignInAsync(who);
    }

    /// <summary>
    /// Demo mode's one click: a demo persona with the member role signs in without a password (theirs
    /// are public anyway). Never the operator, and nothing outside demo mode.
    /// </summary>
    public async Task<IActionResult> OnPostDemoAsync()
    {
        var persona = DemoSignIns.FirstOrDefault(s => s.Member == Member && s.Role == Roles.Member);
        if (persona is null || !await accounts.ExistsAsync(persona.Member, HttpContext.RequestAborted))
        {
            return NotFound();
        }
        return await SignInAsync(new Principal(persona.Member, Roles.Member));
    }

    private async Task<IActionResult> SignInAsync(Principal who)
    {
        await HttpContext.SignInWithSessionAsync(accounts, who);
        return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl : "/inbox");
    }
}
