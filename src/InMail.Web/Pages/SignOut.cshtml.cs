using InMail.Web.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace InMail.Web.Pages;

/// <summary>Ends the cookie session (a post with the antiforgery token, so another site cannot sign a member out).</summary>
public sealed class SignOutModel : PageModel
{
    public IActionResult OnGet() => RedirectToPage("/Inbox/Index");

    public async Task<IActionResult> OnPostAsync()
    {
        await HttpContext.SignOutAsync(Authentication.Cookie);
        return Redirect("/sign-in");
    }
}
