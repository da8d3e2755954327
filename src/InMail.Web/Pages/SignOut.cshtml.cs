using InMail.Web.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace InMail.Web.Pages;

/// <summary>Ends the cookie session on the server (a post with the antiforgery token, so another site cannot sign a member out).</summary>
public sealed class SignOutModel(Accounts accounts) : PageModel
{
    public IActionResult OnGet() => RedirectToPage("/Inbox/Index");

    public async Task<IActionResult> OnPostAsync()
    {
        await HttpContext.SignOutSessionAsync(accounts);
        return Redirect("/sign-in");
    }
}
