using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace InMail.Web.Pages;

/// <summary>The home page is the inbox.</summary>
public sealed class IndexModel : PageModel
{
    public IActionResult OnGet() => Redirect("/inbox");
}
